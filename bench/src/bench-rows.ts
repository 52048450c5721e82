import { randomUUID } from "node:crypto";
import pg from "pg";
import { foldTagExpression, normalizeTagExpression, parseTagExpression } from "@brandpool/tag-expression";
import { graphqlRequest } from "@brandpool/stack";
import type { GraphQLResponse } from "@brandpool/stack";
import { importPrivateKey, mintForwardedToken, serviceAudience } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";
import type { BenchStack } from "./start-bench-stack.js";
import { REPEATED_QUESTION } from "./question-pool.js";
import type { QuestionPool, QuestionShape } from "./question-pool.js";

/** Whether a row's calls compute something new, or the node answers from what it stored. */
export type RowCache = "cold (new question)" | "repeat (stored answer)" | "no stored answers";

export interface BenchRow {
  id: string;
  what: string;
  path: string;
  cache: RowCache;
  /** One question the row asked (for results.json), once it has run. */
  example(): string | undefined;
  /** Exact matches of each question counted (count rows only), to show how broad the questions were. */
  matchedMembers?: () => number[];
  /** The unmeasured set-up of one call (a new question, a fresh token). */
  prepare(i: number): Promise<unknown> | unknown;
  /** One measured call; throws if the answer is an error or not what the row claims to measure. */
  call(i: number, prepared: unknown): Promise<void>;
}

/** New questions each cold call of a row takes, per shape, over all rows (rows 1, 2 and 3; row 8). */
export const COLD_QUESTIONS_PER_CALL: Readonly<Record<QuestionShape, number>> = { and3: 3, "or-not": 1 };

/** Who asks: an analyst of pieshop. Whose members: teabar's (and, for the fan-out, all three). */
export const ASKER = "pieshop";
export const OWNER = "teabar";

const ENTITY_ESTIMATE = /* GraphQL */ `
  query NodeEstimate($representations: [_Any!]!, $expression: String!) {
    _entities(representations: $representations) { ... on Brand { audienceEstimate(expression: $expression) { count repeated } } }
  }
`;
const GATEWAY_ESTIMATE = /* GraphQL */ `
  query Estimate($brand: ID!, $expression: String!) {
    brand(id: $brand) { audienceEstimate(expression: $expression) { count repeated } }
  }
`;
// Every documented member field with a literal \`first: 100\` costs 7,306 and the gateway's cost
// limit is 5,000, so the page asks for the fields an outreach list needs (cost 3,763).
const MEMBERS_PAGE = /* GraphQL */ `
  query MembersPage($after: String) {
    members(first: 100, after: $after) {
      totalCount
      edges { cursor node { id name phone email tags } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface Estimate {
  count: number | null;
  repeated: boolean;
}

function fanOutQuery(brandIds: readonly string[]): string {
  const fields = brandIds.map((id) => `${id.replace(/-/g, "_")}: brand(id: "${id}") { audienceEstimate(expression: $expression) { count repeated } }`);
  return `query FanOutEstimate($expression: String!) { ${fields.join(" ")} }`;
}

function ok<T>(label: string, result: GraphQLResponse<T>): T {
  if (result.errors.length > 0 || !result.data) throw new Error(`${label}: the call failed (${result.status}): ${result.raw.slice(0, 400)}`);
  return result.data;
}

function expectRepeated(label: string, estimate: Estimate | undefined | null, repeated: boolean): void {
  if (!estimate) throw new Error(`${label}: no estimate in the answer`);
  if (estimate.repeated !== repeated) {
    throw new Error(`${label}: expected ${repeated ? "a stored answer" : "a new question"}, the node says repeated=${estimate.repeated}`);
  }
}

/**
 * The SQL the node runs for an estimate (estimate.service.ts: `select count(*) from members where`
 * the expression as expression.sql.ts folds it), with the tag ids of the node's dictionary.
 */
export function estimateSql(expression: string, tagIds: ReadonlyMap<string, number>): { text: string; values: number[] } {
  const values: number[] = [];
  const where = foldTagExpression<string>(normalizeTagExpression(parseTagExpression(expression)), {
    tag: (key) => {
      const id = tagIds.get(key);
      if (id === undefined) throw new Error(`tag ${key} is not in the node's dictionary`);
      values.push(id);
      return `("members"."tag_ids" @> ARRAY[$${values.length}]::integer[])`;
    },
    and: (parts) => `(${parts.join(" AND ")})`,
    or: (parts) => `(${parts.join(" OR ")})`,
    not: (part) => `(NOT ${part})`,
  });
  return { text: `select count(*) from "members" where ${where}`, values };
}

export interface BenchRowsContext {
  bench: BenchStack;
  questions: QuestionPool;
  /** Open connections the rows made (closed by the caller when the run ends). */
  connections: pg.Client[];
}

/** The rows of the table, in the order they run and print. */
export async function benchRows(context: BenchRowsContext): Promise<BenchRow[]> {
  const { bench, questions } = context;
  const { stack, keys } = bench;
  const owner = stack.nodes.get(OWNER);
  if (!owner) throw new Error(`no node ${OWNER}`);
  const analystToken = await stack.token({ brand: ASKER, role: "analyst", subject: `${ASKER}-analyst@bench` });

  // A token as the gateway would mint it for one fetch to the owner's node. A node accepts each
  // token once, so every call gets a fresh one, minted outside the timed part of the call.
  const gatewayKey = await importPrivateKey(keys.gateway);
  const caller: ForwardedCaller = { kind: "user", subject: `${ASKER}-analyst@bench`, brand: ASKER, role: "analyst", tokenId: randomUUID() };
  const forwardedToken = () => mintForwardedToken(gatewayKey, keys.gateway.kid ?? "gateway", serviceAudience({ kind: "node", brandId: OWNER }), caller);
  const nodeEstimate = async (label: string, expression: string, token: string): Promise<Estimate | undefined> => {
    const result = await graphqlRequest<{ _entities: ({ audienceEstimate: Estimate } | null)[] }>(owner.url, ENTITY_ESTIMATE, {
      token,
      variables: { representations: [{ __typename: "Brand", id: OWNER }], expression },
    });
    return ok(label, result)._entities[0]?.audienceEstimate;
  };
  const gatewayEstimate = async (label: string, expression: string): Promise<Estimate | undefined> => {
    const result = await graphqlRequest<{ brand: { audienceEstimate: Estimate } | null }>(stack.gatewayUrl, GATEWAY_ESTIMATE, {
      token: analystToken,
      variables: { brand: OWNER, expression },
    });
    return ok(label, result).brand?.audienceEstimate;
  };

  // Row 4 and row 9 count exactly what rows 1 and 8 asked, straight on the owner's database.
  const ownerDb = new pg.Client({ connectionString: owner.databaseUrl });
  await ownerDb.connect();
  context.connections.push(ownerDb);
  const tagIds = new Map((await ownerDb.query<{ id: number; key: string }>("SELECT id, key FROM tag_dictionary")).rows.map((r) => [r.key, r.id]));
  const asked: Record<QuestionShape, string[]> = { and3: [], "or-not": [] };
  const takeQuestion = (shape: QuestionShape, i: number) => {
    const expression = questions.take(shape);
    asked[shape][i] = expression;
    return expression;
  };
  const firstOf = new Map<string, string>();
  const takeFor = (rowId: string, shape: QuestionShape) => {
    const expression = questions.take(shape);
    if (!firstOf.has(rowId)) firstOf.set(rowId, expression);
    return expression;
  };
  const matched: Record<QuestionShape, number[]> = { and3: [], "or-not": [] };
  const sqlCount = (shape: QuestionShape) => async (i: number, _prepared: unknown) => {
    const list = asked[shape];
    if (list.length === 0) throw new Error(`no ${shape} questions to count: the estimate row that asks them did not run`);
    const expression = list[i % list.length] as string;
    const { text, values } = estimateSql(expression, tagIds);
    const result = await ownerDb.query<{ count: string }>(text, values);
    const row = result.rows[0];
    if (!row) throw new Error("count(*) returned no row");
    matched[shape].push(Number(row.count));
  };

  const nodeCold = (shape: QuestionShape): BenchRow => ({
    id: `node-estimate-${shape}`,
    what: `estimate, ${shape === "and3" ? "a and b and c" : "(a or b) and not c and d"}`,
    path: `node ${OWNER} direct`,
    cache: "cold (new question)",
    example: () => asked[shape][0],
    prepare: async (i) => ({ expression: takeQuestion(shape, i), token: await forwardedToken() }),
    call: async (_i, prepared) => {
      const { expression, token } = prepared as { expression: string; token: string };
      expectRepeated("node estimate", await nodeEstimate("node estimate", expression, token), false);
    },
  });

  let membersAfter: string | null = null;
  let primedNode = false;
  let primedGateway = false;
  const fanOutBrands = bench.brandIds;
  const fanOut = fanOutQuery(fanOutBrands);

  return [
    nodeCold("and3"),
    {
      id: "gateway-estimate",
      what: "estimate, a and b and c",
      path: `gateway, ${ASKER} -> ${OWNER}`,
      cache: "cold (new question)",
      example: () => firstOf.get("gateway-estimate"),
      prepare: () => takeFor("gateway-estimate", "and3"),
      call: async (_i, expression) => expectRepeated("gateway estimate", await gatewayEstimate("gateway estimate", expression as string), false),
    },
    {
      id: "gateway-fan-out",
      what: `estimate at ${fanOutBrands.length} brands in one query`,
      path: `gateway, ${ASKER} -> ${fanOutBrands.join("+")}`,
      cache: "cold (new question)",
      example: () => firstOf.get("gateway-fan-out"),
      prepare: () => takeFor("gateway-fan-out", "and3"),
      call: async (_i, expression) => {
        const result = await graphqlRequest<Record<string, { audienceEstimate: Estimate } | null>>(stack.gatewayUrl, fanOut, {
          token: analystToken,
          variables: { expression },
        });
        const data = ok("fan-out", result);
        for (const id of fanOutBrands) expectRepeated(`fan-out ${id}`, data[id.replace(/-/g, "_")]?.audienceEstimate, false);
      },
    },
    {
      id: "postgres-count-and3",
      what: "count(*), GIN, row 1's questions",
      path: `postgres, ${OWNER}'s database`,
      cache: "no stored answers",
      example: () => asked.and3[0],
      matchedMembers: () => matched.and3,
      prepare: () => undefined,
      call: sqlCount("and3"),
    },
    {
      id: "gateway-members-page",
      what: "members(first: 100), own brand",
      path: `gateway, ${ASKER} -> ${ASKER}`,
      cache: "no stored answers",
      example: () => undefined,
      prepare: () => membersAfter,
      call: async (_i, after) => {
        const result = await graphqlRequest<{ members: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
          stack.gatewayUrl,
          MEMBERS_PAGE,
          { token: analystToken, variables: { after } },
        );
        const page = ok("members page", result).members;
        if (page.edges.length === 0) throw new Error("members page: no members");
        // Walks the pages in order, starting over at the end.
        membersAfter = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      },
    },
    {
      id: "node-estimate-repeat",
      what: "estimate, a and b and c",
      path: `node ${OWNER} direct`,
      cache: "repeat (stored answer)",
      example: () => REPEATED_QUESTION,
      prepare: async () => {
        if (!primedNode) {
          await nodeEstimate("priming", REPEATED_QUESTION, await forwardedToken());
          primedNode = true;
        }
        return forwardedToken();
      },
      call: async (_i, token) => expectRepeated("node repeat", await nodeEstimate("node repeat", REPEATED_QUESTION, token as string), true),
    },
    {
      id: "gateway-estimate-repeat",
      what: "estimate, a and b and c",
      path: `gateway, ${ASKER} -> ${OWNER}`,
      cache: "repeat (stored answer)",
      example: () => REPEATED_QUESTION,
      prepare: async () => {
        if (!primedGateway) {
          await gatewayEstimate("priming", REPEATED_QUESTION);
          primedGateway = true;
        }
      },
      call: async () => expectRepeated("gateway repeat", await gatewayEstimate("gateway repeat", REPEATED_QUESTION), true),
    },
    nodeCold("or-not"),
    {
      id: "postgres-count-or-not",
      what: "count(*), GIN, row 8's questions",
      path: `postgres, ${OWNER}'s database`,
      cache: "no stored answers",
      example: () => asked["or-not"][0],
      matchedMembers: () => matched["or-not"],
      prepare: () => undefined,
      call: sqlCount("or-not"),
    },
  ];
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevTokenClaims } from "@brandpool/stack";
import { postRaw } from "./support/raw-request.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { memberGlobalId, secretFinder } from "./support/secret-finder.js";

// Invariant 1 (identities stay home), tried from every side a pieshop principal can reach:
// teabar's and stylehub's members' phones, emails and ids must never appear in anything a pieshop
// principal gets back, and no audit event or outbox payload anywhere may hold personal data.

const ANALYST: DevTokenClaims = { brand: "pieshop", role: "analyst", subject: "pie-analyst@test" };
// Within the gateway's cost limit (5,000) for one connection; SLIM for three under aliases.
const PAGE = "totalCount edges { cursor node { id externalId name phone email address tags } } pageInfo { hasNextPage endCursor }";
const SLIM = "edges { node { id phone email } }";

interface MemberRow {
  id: string;
  phone: string | null;
  email: string | null;
  name: string;
}

interface Attempt {
  what: string;
  claims: DevTokenClaims;
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Extra top-level members of the request body (a forged `extensions`, say). */
  extra?: Record<string, unknown>;
  /** The error codes the attempt must get ([] when it must succeed). */
  codes: string[];
}

interface Outcome {
  attempt: Attempt;
  status: number;
  raw: string;
  codes: string[];
}

describe("identities stay home: another brand's members never reach a pieshop principal", () => {
  let stack: TestStack;
  const foreign = new Map<string, MemberRow[]>();
  let pieshopMembers: MemberRow[] = [];

  const membersOf = (brandId: string) => stack.sql<MemberRow>(brandId, "SELECT id::text AS id, phone, email, name FROM members ORDER BY seq");
  /** A fingerprint of a node's members and their tags: equal before and after means nothing changed. */
  const memberFingerprint = async (brandId: string) =>
    (await stack.sql<{ f: string }>(brandId, "SELECT md5(string_agg(id::text || ':' || tag_ids::text || ':' || updated_at::text, ',' ORDER BY seq)) AS f FROM members"))[0]?.f;

  async function send(attempt: Attempt): Promise<Outcome> {
    const body = { query: attempt.query, variables: attempt.variables ?? {}, ...attempt.extra };
    return { attempt, ...(await postRaw(stack.gatewayUrl, await stack.token(attempt.claims), body, attempt.headers)) };
  }

  beforeAll(async () => {
    stack = await startTestStack();
    for (const brandId of ["teabar", "stylehub"]) foreign.set(brandId, await membersOf(brandId));
    pieshopMembers = await membersOf("pieshop");
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Every phone, email, raw member id and Relay id of teabar's and stylehub's members. */
  function foreignSecrets(): string[] {
    const secrets: string[] = [];
    for (const [brandId, rows] of foreign) {
      for (const row of rows) {
        secrets.push(row.id, memberGlobalId(brandId, row.id));
        if (row.phone) secrets.push(row.phone);
        if (row.email) secrets.push(row.email);
      }
    }
    return secrets;
  }

  it("answers a battery of pieshop requests without one foreign phone, email or member id in any response or error", async () => {
    const teabar = foreign.get("teabar") ?? [];
    const stylehub = foreign.get("stylehub") ?? [];
    expect(teabar).toHaveLength(2_000);
    expect(stylehub).toHaveLength(2_000);
    const teabarRelayIds = teabar.slice(0, 3).map((row) => memberGlobalId("teabar", row.id));
    // A teabar member's uuid dressed up as a pieshop id: the node must not find it.
    const forgedPieshopId = memberGlobalId("pieshop", teabar[0]?.id ?? "");
    const before = await Promise.all(["pieshop", "teabar", "stylehub"].map(memberFingerprint));

    const staff = (role: "analyst" | "admin" | "approver" | "auditor"): DevTokenClaims => ({ brand: "pieshop", role, subject: `pie-${role}@test` });
    const attempts: Attempt[] = [
      { what: "a page of members with phones and emails", claims: ANALYST, query: `{ members(first: 100) { ${PAGE} } }`, codes: [] },
      { what: "members matching interest:tea", claims: ANALYST, query: `{ members(first: 100, expression: "interest:tea") { ${PAGE} } }`, codes: [] },
      { what: "members matching an or/not expression", claims: ANALYST, query: `{ members(first: 100, expression: "(age:18-24 or age:25-34) and not gender:m") { ${PAGE} } }`, codes: [] },
      { what: "members of an expression nobody matches", claims: ANALYST, query: `{ members(first: 10, expression: "interest:tea and not interest:tea") { ${PAGE} } }`, codes: [] },
      { what: "members with a tag outside the taxonomy (brand:teabar)", claims: ANALYST, query: `{ members(first: 10, expression: "brand:teabar") { ${PAGE} } }`, codes: ["UNKNOWN_TAG"] },
      { what: "members with a broken expression", claims: ANALYST, query: `{ members(first: 10, expression: "age:18-24 and (") { ${PAGE} } }`, codes: ["BAD_EXPRESSION"] },
      { what: "members with a page too large (101)", claims: ANALYST, query: "{ members(first: 101) { totalCount } }", codes: ["LIMIT_EXCEEDED"] },
      { what: "members after a cursor that is not one", claims: ANALYST, query: `{ members(first: 5, after: "not-a-cursor") { ${PAGE} } }`, codes: ["BAD_INPUT"] },
      {
        what: "members asked three times under aliases named mine, teabar and stylehub",
        claims: ANALYST,
        query: `{ mine: members(first: 50) { ${SLIM} } teabar: members(first: 50, expression: "interest:tea") { ${SLIM} } stylehub: members(first: 50, after: "YzoxMDA") { ${SLIM} } }`,
        codes: [],
      },
      { what: "members with a forged brand argument", claims: ANALYST, query: `{ members(first: 5, brand: "teabar") { ${PAGE} } }`, codes: ["BAD_INPUT"] },
      { what: "members as a field of teabar's Brand entity", claims: ANALYST, query: `{ brand(id: "teabar") { id members(first: 5) { ${PAGE} } } }`, codes: ["BAD_INPUT"] },
      {
        what: "members next to teabar's brand, with teabar forged into the variables, headers and the body's extensions",
        claims: ANALYST,
        query: `query($brand: ID!) { brand(id: $brand) { id name } members(first: 20) { ${PAGE} } }`,
        variables: { brand: "teabar", brandId: "teabar" },
        headers: { "x-brand": "teabar", "x-brand-id": "teabar" },
        extra: { extensions: { brand: "teabar" }, brand: "teabar" },
        codes: [],
      },
      {
        what: "a raw _entities fetch of teabar's Brand",
        claims: ANALYST,
        query: '{ _entities(representations: [{ __typename: "Brand", id: "teabar" }]) { ... on Brand { id } } }',
        codes: ["BAD_INPUT"],
      },
      {
        what: "estimates at teabar and stylehub",
        claims: ANALYST,
        query: `{ t: brand(id: "teabar") { audienceEstimate(expression: "interest:tea", channel: SMS) { count belowThreshold threshold margin95 epsilon period repeated } }
                  s: brand(id: "stylehub") { audienceEstimate(expression: "interest:fashion and gender:f", channel: EMAIL) { count belowThreshold threshold margin95 } } }`,
        codes: [],
      },
      {
        what: "an estimate narrow enough to fall under the threshold",
        claims: ANALYST,
        query: '{ brand(id: "teabar") { audienceEstimate(expression: "age:55+ and interest:fashion and interest:baking and lifecycle:churned", channel: MAIL) { count belowThreshold } } }',
        codes: [],
      },
      { what: "an estimate over a sensitive tag", claims: ANALYST, query: '{ brand(id: "teabar") { audienceEstimate(expression: "health:pregnant") { count } } }', codes: ["SENSITIVE_TAG"] },
      { what: "an estimate with a broken expression", claims: ANALYST, query: '{ brand(id: "stylehub") { audienceEstimate(expression: "interest:tea or or") { count } } }', codes: ["BAD_EXPRESSION"] },
      { what: "teabar's audit chain", claims: ANALYST, query: '{ brand(id: "teabar") { verifyAuditChain { ok checked firstBrokenEventId } } }', codes: ["FORBIDDEN"] },
      // Refused as not pieshop's ids; the refusal must not quote a foreign member's id back either.
      {
        what: "tagMembers with teabar's Relay ids",
        claims: ANALYST,
        query: 'mutation($ids: [ID!]) { tagMembers(tag: "interest:tea", ids: $ids) { affected } }',
        variables: { ids: teabarRelayIds },
        codes: ["BAD_INPUT"],
      },
      {
        what: "untagMembers with a stylehub Relay id",
        claims: ANALYST,
        query: 'mutation($ids: [ID!]) { untagMembers(tag: "interest:fashion", ids: $ids) { affected } }',
        variables: { ids: [memberGlobalId("stylehub", stylehub[0]?.id ?? "")] },
        codes: ["BAD_INPUT"],
      },
      {
        what: "tagMembers with a teabar member's uuid forged into a pieshop Relay id",
        claims: ANALYST,
        query: 'mutation($ids: [ID!]) { tagMembers(tag: "interest:tea", ids: $ids) { affected } }',
        variables: { ids: [forgedPieshopId] },
        codes: ["NOT_FOUND"],
      },
      {
        what: "introspection of the whole schema",
        claims: ANALYST,
        query: "{ __schema { types { name description fields { name description args { name description } } } } }",
        codes: [],
      },
      {
        what: "viewer, brands and tags",
        claims: ANALYST,
        query: "{ viewer { kind subject brandId role } brands { id name nameZh admitted timeZone } tags { key labelZh labelEn sensitive } }",
        codes: [],
      },
      ...(["admin", "approver", "auditor"] as const).map((role): Attempt => ({
        what: `members as pieshop ${role}`,
        claims: staff(role),
        query: `{ members(first: 100, expression: "interest:tea") { ${PAGE} } }`,
        codes: role === "admin" ? [] : ["FORBIDDEN"],
      })),
      ...(["analyst", "admin", "approver", "auditor"] as const).map((role): Attempt => ({
        what: `an estimate and audit chains at teabar and stylehub as pieshop ${role}`,
        claims: staff(role),
        query: '{ t: brand(id: "teabar") { audienceEstimate(expression: "interest:coffee") { count } verifyAuditChain { ok } } s: brand(id: "stylehub") { verifyAuditChain { ok checked } } }',
        codes: ["FORBIDDEN"],
      })),
    ];

    const find = secretFinder(foreignSecrets());
    const outcomes: Outcome[] = [];
    for (const attempt of attempts) outcomes.push(await send(attempt));
    // Walk three pages of pieshop's members as a client would.
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const query = `query($after: String) { members(first: 100, after: $after) { ${PAGE} } }`;
      const outcome: Outcome = await send({ what: `members page ${page + 1}`, claims: ANALYST, query, variables: { after }, codes: [] });
      outcomes.push(outcome);
      after = (JSON.parse(outcome.raw) as { data?: { members?: { pageInfo: { endCursor: string | null } } } | null }).data?.members?.pageInfo.endCursor ?? null;
    }

    // Each attempt got the answer it should: the battery really ran (no limit or typo ate it).
    const answers = outcomes.map((outcome) => ({ what: outcome.attempt.what, codes: [...new Set(outcome.codes)].sort() }));
    expect(answers).toEqual(outcomes.map((outcome) => ({ what: outcome.attempt.what, codes: outcome.attempt.codes })));
    // The finder does find what is there: pieshop's own phones are in pieshop's own pages.
    const findOwn = secretFinder(pieshopMembers.flatMap((row) => (row.phone ? [row.phone] : [])));
    expect(findOwn(outcomes.find((outcome) => outcome.attempt.what === "members page 1")?.raw ?? "")).toHaveLength(100);
    // None of the refused mutations changed any node's members.
    expect(await Promise.all(["pieshop", "teabar", "stylehub"].map(memberFingerprint))).toEqual(before);
    // Last, so that a failure here means everything above held.
    const leaks = outcomes.map((outcome) => ({ what: outcome.attempt.what, leaked: find(outcome.raw) })).filter((entry) => entry.leaked.length > 0);
    expect(leaks).toEqual([]);
  });

  it("keeps personal data out of every audit event and outbox payload, on the nodes and at the coordinator", async () => {
    // Leave a trail first: estimates and a denial at each node, so there is something to read.
    await stack.ask(ANALYST, '{ brand(id: "stylehub") { audienceEstimate(expression: "age:25-34", channel: SMS) { count } } }');
    await stack.ask({ brand: "teabar", role: "analyst" }, '{ brand(id: "pieshop") { audienceEstimate(expression: "interest:baking") { count } } }');
    await stack.ask({ brand: "stylehub", role: "approver" }, "{ members(first: 5) { totalCount } }");
    const brands = ["pieshop", "teabar", "stylehub"];
    // Wait until every node's outbox is pushed, so the coordinator's log holds what the nodes sent.
    await eventually(async () => {
      for (const brandId of brands) {
        const [row] = await stack.sql<{ pending: number }>(brandId, "SELECT count(*)::int AS pending FROM coordinator_outbox WHERE pushed_at IS NULL");
        if (row?.pending !== 0) return undefined;
      }
      return true;
    });

    const everyone = [...brands.map((brandId) => [brandId, brandId === "pieshop" ? pieshopMembers : foreign.get(brandId) ?? []] as const)];
    const contacts = secretFinder(
      everyone.flatMap(([brandId, rows]) => rows.flatMap((row) => [row.id, memberGlobalId(brandId, row.id), ...(row.phone ? [row.phone] : []), ...(row.email ? [row.email] : [])])),
    );
    const names = secretFinder(everyone.flatMap(([, rows]) => rows.map((row) => row.name)));

    const logs: { where: string; rows: unknown[] }[] = [];
    for (const brandId of brands) {
      logs.push({ where: `${brandId} audit_events`, rows: await stack.sql(brandId, "SELECT type, actor, subject, payload FROM audit_events ORDER BY seq") });
      logs.push({ where: `${brandId} coordinator_outbox`, rows: await stack.sql(brandId, "SELECT type, payload FROM coordinator_outbox ORDER BY created_at") });
    }
    logs.push({ where: "coordinator audit_events", rows: await stack.sql("coordinator", "SELECT type, actor, subject, payload FROM audit_events ORDER BY seq") });

    // Each log has events of this run: denials and estimates at every node, and the coordinator's copies.
    for (const brandId of brands) {
      const types = (logs.find((log) => log.where === `${brandId} audit_events`)?.rows as { type: string }[]).map((row) => row.type);
      expect(types.length, `${brandId} audit_events`).toBeGreaterThan(0);
    }
    const coordinatorTypes = new Set((logs.at(-1)?.rows as { type: string }[]).map((row) => row.type));
    expect(coordinatorTypes).toContain("policy.denied");
    expect([...coordinatorTypes].some((type) => type.startsWith("node."))).toBe(true);

    const found = logs
      .map((log) => {
        const text = JSON.stringify(log.rows);
        return { where: log.where, contacts: contacts(text), names: names(text) };
      })
      .filter((entry) => entry.contacts.length > 0 || entry.names.length > 0);
    expect(found).toEqual([]);
  });

  it.each([
    { who: "the platform auditor", claims: { role: "auditor", subject: "platform-auditor-members@test" } as DevTokenClaims },
    { who: "a platform admin without a brand", claims: { role: "platform-admin", subject: "platform-admin-members@test" } as DevTokenClaims },
    { who: "a pieshop approver", claims: { brand: "pieshop", role: "approver", subject: "pie-approver-members@test" } as DevTokenClaims },
  ])("refuses $who a list of members and records the denial in the coordinator's log", async ({ claims }) => {
    const denialsOf = () =>
      stack.sql<{ payload: { action: string } }>(
        "coordinator",
        "SELECT payload FROM audit_events WHERE type = 'policy.denied' AND actor->>'subject' = $1 AND payload->>'action' = 'ListMembers'",
        [claims.subject],
      );
    expect(await denialsOf()).toEqual([]);
    const result = await stack.ask(claims, `{ members(first: 5) { ${PAGE} } }`);
    expect(result.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(result.data).toBeNull();
    const denials = await eventually(async () => {
      const rows = await denialsOf();
      return rows.length > 0 ? rows : undefined;
    });
    expect(denials[0]?.payload.action).toBe("ListMembers");
  });
});

import { TAXONOMY } from "@brandpool/demo-data";
import { parseTagExpression, questionKey, questionTaxonomy } from "@brandpool/tag-expression";
// The node's own privacy layer, as built: with the node secret known, a test can say exactly which
// noisy figure each answer must be, not only that it is close.
import { exactCommitment, parseEpsilon, releaseCount } from "../../subgraphs/brand/dist/privacy/index.js";
import type { ReleasedCount } from "../../subgraphs/brand/dist/privacy/index.js";
import type { TestStack } from "./test-stack.js";

export type Channel = "SMS" | "EMAIL" | "MAIL";

/** The fixtures' node settings (see startTestStack): k 50, epsilon 0.1. */
export const FIXTURE_THRESHOLD = 50;
export const FIXTURE_EPSILON = "0.1";

export interface AudienceEstimate {
  count: number | null;
  belowThreshold: boolean;
  threshold: number;
  margin95: number;
  epsilon: number;
  period: string;
  repeated: boolean;
}

export const ESTIMATE_FIELDS = "count belowThreshold threshold margin95 epsilon period repeated";

/** The budget period a node uses right now: the calendar month in its time zone. */
export function currentPeriod(timeZone = "Asia/Shanghai"): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(new Date());
  return `${parts.find((part) => part.type === "year")?.value}-${parts.find((part) => part.type === "month")?.value}`;
}

/** The cardinalities of the fixtures' taxonomy, as the nodes learn them from the coordinator. */
export const FIXTURE_TAXONOMY = questionTaxonomy(TAXONOMY.map((tag) => [tag.dimension, tag.cardinality] as const));

/** The privacy ledger's key for a question: its meaning under the taxonomy, from the tag-expression library. */
export function questionKeyOf(expression: string, channel: Channel | null): string {
  return questionKey(parseTagExpression(expression), channel, FIXTURE_TAXONOMY);
}

/** Dictionary ids of tag keys in one node's database; every key must be there. */
export async function tagIdsOf(stack: TestStack, brandId: string, keys: readonly string[]): Promise<number[]> {
  const rows = await stack.sql<{ key: string; id: number }>(brandId, "SELECT key, id FROM tag_dictionary WHERE key = ANY($1::text[])", [keys]);
  const ids = keys.map((key) => rows.find((row) => row.key === key)?.id);
  if (ids.some((id) => id === undefined)) throw new Error(`${brandId} has no dictionary id for some of ${keys.join(", ")}`);
  return ids as number[];
}

/**
 * The exact count, straight from a node's database and written independently of the node's SQL:
 * members carrying every tag of `allOf` and at least one of `anyOf`, consenting on `channel`.
 */
export async function exactCount(
  stack: TestStack,
  brandId: string,
  match: { allOf?: readonly string[]; anyOf?: readonly string[] },
  channel: Channel | null,
): Promise<number> {
  const allOf = match.allOf?.length ? await tagIdsOf(stack, brandId, match.allOf) : null;
  const anyOf = match.anyOf?.length ? await tagIdsOf(stack, brandId, match.anyOf) : null;
  const [row] = await stack.sql<{ n: number }>(
    brandId,
    `SELECT count(*)::int AS n FROM members m
      WHERE ($1::int[] IS NULL OR m.tag_ids @> $1::int[])
        AND ($2::int[] IS NULL OR m.tag_ids && $2::int[])
        AND CASE $3::text WHEN 'SMS' THEN m.consent_sms WHEN 'EMAIL' THEN m.consent_email WHEN 'MAIL' THEN m.consent_mail ELSE true END`,
    [allOf, anyOf, channel],
  );
  return row?.n ?? Number.NaN;
}

/** What the owner's privacy layer must release for this question this month, given the exact count. */
export function expectedRelease(stack: TestStack, ownerId: string, expression: string, channel: Channel | null, exact: number): ReleasedCount {
  return releaseCount({
    secret: secretOf(stack, ownerId),
    questionKey: questionKeyOf(expression, channel),
    period: currentPeriod(),
    exact,
    epsilon: parseEpsilon(FIXTURE_EPSILON),
    threshold: FIXTURE_THRESHOLD,
  });
}

/** The owner's HMAC commitment to an exact figure, as the coordinator's log must hold it. */
export function expectedCommitment(stack: TestStack, ownerId: string, expression: string, channel: Channel | null, exact: number): string {
  return exactCommitment(secretOf(stack, ownerId), questionKeyOf(expression, channel), currentPeriod(), exact);
}

/** The answer a partner must see, in the API's shape. */
export function expectedAnswer(released: ReleasedCount, repeated: boolean): AudienceEstimate {
  return {
    count: released.count,
    belowThreshold: released.belowThreshold,
    threshold: released.threshold,
    margin95: released.margin95,
    epsilon: released.epsilon,
    period: currentPeriod(),
    repeated,
  };
}

function secretOf(stack: TestStack, brandId: string): string {
  const secret = stack.keys.nodes[brandId]?.secret;
  if (!secret) throw new Error(`no node secret for ${brandId}`);
  return secret;
}

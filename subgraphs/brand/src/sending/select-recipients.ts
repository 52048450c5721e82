import { createHash, randomInt, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { newCouponCodes } from "@brandpool/outreach-message";
import type { SQL } from "drizzle-orm";
import type { Channel } from "../members/expression.sql.js";
import { consentCondition } from "../members/expression.sql.js";
import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";

export interface RecipientSelection {
  requestId: string;
  channel: Channel;
  /** The request's tag expression as a condition on `members` (expression.sql.ts). */
  expression: SQL;
  /** At most this many (the approved cap). */
  cap: number;
  batchSize: number;
  /** A member who got this many partner messages within the window is skipped. */
  frequencyCap: number;
  frequencyWindowDays: number;
  /** The owner's sharing rules' lower caps, each over its own window (a cap of 0 selects nobody). */
  extraLimits?: readonly { windowDays: number; cap: number }[];
}

export interface SelectedRecipients {
  /** Exactly how many were selected (the owner's log keeps it). */
  selected: number;
  batches: number;
  /** SHA-256 over `member_seq:coupon_code:message_key` lines in member order: commits the owner's log to the list without holding it. */
  listHash: string;
}

/** The column a channel needs to reach a member. */
function contactCondition(channel: Channel): SQL {
  switch (channel) {
    case "SMS":
      return sql`members.phone IS NOT NULL AND members.phone <> ''`;
    case "EMAIL":
      return sql`members.email IS NOT NULL AND members.email <> ''`;
    case "MAIL":
      return sql`members.address IS NOT NULL AND members.address <> ''`;
  }
}

/** Who may be sent a request: matching, consenting on the channel, reachable on it, under every frequency cap. */
export type EligibleSelection = Pick<RecipientSelection, "channel" | "expression" | "frequencyCap" | "frequencyWindowDays" | "extraLimits">;

/** The members a request may reach, as one query of `members.seq`: the one definition the selection and the owner's count share. */
export function eligibleMembers(input: EligibleSelection): SQL {
  const limits = [{ windowDays: input.frequencyWindowDays, cap: input.frequencyCap }, ...(input.extraLimits ?? [])];
  const longest = Math.max(...limits.map((limit) => limit.windowDays));
  const over = sql.join(
    limits.map((limit) => sql`count(*) FILTER (WHERE selected_at > now() - make_interval(days => ${limit.windowDays})) >= ${limit.cap}`),
    sql` OR `,
  );
  // A rule that forbids contact at zero earlier messages forbids it to everyone.
  const nobody = limits.some((limit) => limit.cap <= 0) ? sql` AND false` : sql``;
  return sql`
    WITH over_cap AS (
      SELECT member_seq FROM outreach_recipients
      WHERE selected_at > now() - make_interval(days => ${longest}) AND status <> 'FAILED'
      GROUP BY member_seq
      HAVING ${over}
    )
    SELECT members.seq FROM members
    WHERE ${input.expression} AND ${consentCondition(input.channel)} AND ${contactCondition(input.channel)}
      AND NOT EXISTS (SELECT 1 FROM over_cap WHERE over_cap.member_seq = members.seq)${nobody}`;
}

/** Exactly how many members a request may reach now (the owner's own figure: never for another brand). */
export async function countEligible(db: Pick<Database, "execute">, input: EligibleSelection): Promise<number> {
  const counted = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${eligibleMembers(input)}) AS eligible`);
  return Number(counted.rows[0]?.n ?? 0);
}

/**
 * Selects the recipients of one request and issues their coupons, built for a million members
 * (no row-by-row loop): one statement picks the members matching the expression who consented on
 * the channel, have its contact field and are under the frequency cap, at most `cap`; when more
 * match than the cap (a count first says so), the pick is by a hash of request id and member, so
 * it is neither the oldest members nor the same ones for every request. The node then draws their
 * coupon codes (`newCouponCodes`, the one definition of a code) and message keys (random UUIDs),
 * and one INSERT from three arrays stores them, numbered into batches.
 *
 * The codes and the keys are sorted, and the rows are stored in that order, so that the unique
 * indexes on them are filled in key order instead of at random pages (at a million recipients,
 * random inserts into those indexes were most of the time). The members are handed the codes in
 * a random order (a shuffle, `crypto.randomInt`): a code's place among the request's codes says
 * nothing about the member's place among the owner's members (their member numbers follow when
 * they joined), so a requester that sees redeemed codes learns nothing from their order.
 * A coupon collision (65 random bits) fails the statement and so the whole start, which the next
 * run repeats with new codes.
 */
export async function selectRecipients(tx: Transaction, input: RecipientSelection): Promise<SelectedRecipients> {
  const eligible = eligibleMembers(input);
  // Counted first (an index scan): when the cap takes everyone, the pick needs no sort.
  const counted = await tx.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${eligible}) AS eligible`);
  const matching = Number(counted.rows[0]?.n ?? 0);
  const pick = matching > input.cap ? sql`ORDER BY md5(${input.requestId}::text || ':' || seq::text) LIMIT ${input.cap}` : sql``;
  // One text value rather than a million rows: the cheapest way to bring the list to the node.
  const chosen = await tx.db.execute<{ seqs: string | null }>(
    sql`SELECT string_agg(seq::text, ',' ORDER BY seq) AS seqs FROM (SELECT seq FROM (${eligible}) AS eligible ${pick}) AS chosen`,
  );
  const seqs = chosen.rows[0]?.seqs?.split(",") ?? [];
  const n = seqs.length;
  const codes = newCouponCodes(n).sort();
  const keys = Array.from({ length: n }, () => randomUUID()).sort();
  // Row r (code r, key r) goes to member seqs[order[r]]; holder[m] is the row of member m.
  const order = shuffled(n);
  const holder = new Int32Array(n);
  for (let r = 0; r < n; r += 1) holder[order[r] as number] = r;
  if (n > 0) {
    const members = new Array<string>(n);
    for (let r = 0; r < n; r += 1) members[r] = seqs[order[r] as number] as string;
    await tx.client.query(
      `INSERT INTO outreach_recipients (request_id, member_seq, batch, coupon_code, message_key)
       SELECT $1::uuid, t.seq, (t.ord - 1) / $2::int, t.code, t.message_key
       FROM unnest(string_to_array($3, ',')::int[], string_to_array($4, ','), string_to_array($5, ',')::uuid[]) WITH ORDINALITY AS t(seq, code, message_key, ord)`,
      [input.requestId, input.batchSize, members.join(","), codes.join(","), keys.join(",")],
    );
  }
  // The owner's commitment to the list: the lines of the rows just stored, in member order.
  const hash = createHash("sha256");
  const lines: string[] = [];
  for (let m = 0; m < n; m += 1) {
    const r = holder[m] as number;
    lines.push(`${seqs[m]}:${codes[r]}:${keys[r]}`);
    if (lines.length === 10_000 || m === n - 1) {
      hash.update(`${m + 1 > lines.length ? "\n" : ""}${lines.join("\n")}`);
      lines.length = 0;
    }
  }
  return { selected: n, batches: Math.ceil(n / input.batchSize), listHash: hash.digest("hex") };
}

/** 0..n-1 in a uniformly random order (Fisher-Yates over `crypto.randomInt`). */
export function shuffled(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  for (let i = n - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

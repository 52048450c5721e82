import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Channel } from "../members/expression.sql.js";
import { consentCondition } from "../members/expression.sql.js";
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

/**
 * Selects the recipients of one request and issues their coupons in ONE set-based statement
 * (built for a million members; no row-by-row loop): members matching the expression who
 * consented on the channel, have its contact field and are under the frequency cap, at most
 * `cap`, each with a new coupon code (`outreach_coupon_code()`, migration 0007) and a message key
 * (column default, a random UUID), numbered into batches in scan order. When more match than the
 * cap (a count first says so), the pick is by a hash of request id and member, so it is neither
 * the oldest members nor the same ones for every request; otherwise nothing is sorted. A coupon collision (65 random bits) fails the statement and so the
 * whole start, which the next run repeats with new codes.
 */
export async function selectRecipients(tx: Transaction, input: RecipientSelection): Promise<SelectedRecipients> {
  const limits = [{ windowDays: input.frequencyWindowDays, cap: input.frequencyCap }, ...(input.extraLimits ?? [])];
  const longest = Math.max(...limits.map((limit) => limit.windowDays));
  const over = sql.join(
    limits.map((limit) => sql`count(*) FILTER (WHERE selected_at > now() - make_interval(days => ${limit.windowDays})) >= ${limit.cap}`),
    sql` OR `,
  );
  // A rule that forbids contact at zero earlier messages forbids it to everyone.
  const nobody = limits.some((limit) => limit.cap <= 0) ? sql` AND false` : sql``;
  const eligible = sql`
    WITH over_cap AS (
      SELECT member_seq FROM outreach_recipients
      WHERE selected_at > now() - make_interval(days => ${longest}) AND status <> 'FAILED'
      GROUP BY member_seq
      HAVING ${over}
    )
    SELECT members.seq FROM members
    WHERE ${input.expression} AND ${consentCondition(input.channel)} AND ${contactCondition(input.channel)}
      AND NOT EXISTS (SELECT 1 FROM over_cap WHERE over_cap.member_seq = members.seq)${nobody}`;
  // Counted first (an index scan): when the cap takes everyone, the pick needs no sort.
  const counted = await tx.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${eligible}) AS eligible`);
  const matching = Number(counted.rows[0]?.n ?? 0);
  const pick = matching > input.cap ? sql`ORDER BY md5(${input.requestId}::text || ':' || seq::text) LIMIT ${input.cap}` : sql``;
  await tx.db.execute(sql`
    INSERT INTO outreach_recipients (request_id, member_seq, batch, coupon_code)
    SELECT ${input.requestId}::uuid, seq, ((row_number() OVER ()) - 1) / ${input.batchSize}, outreach_coupon_code()
    FROM (SELECT seq FROM (${eligible}) AS eligible ${pick}) AS chosen`);
  const summary = await tx.client.query<{ selected: number; batches: number; list_hash: string }>(
    `SELECT count(*)::int AS selected, coalesce(max(batch) + 1, 0)::int AS batches,
            encode(sha256(convert_to(coalesce(string_agg(member_seq::text || ':' || coupon_code || ':' || message_key::text, E'\\n' ORDER BY member_seq), ''), 'UTF8')), 'hex') AS list_hash
     FROM outreach_recipients WHERE request_id = $1`,
    [input.requestId],
  );
  const row = summary.rows[0];
  return { selected: row?.selected ?? 0, batches: row?.batches ?? 0, listHash: row?.list_hash ?? "" };
}

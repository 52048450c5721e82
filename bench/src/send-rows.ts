import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { figureRow } from "./figure.js";
import type { FigureRow, FigureSpec } from "./figure.js";
import { OWNER } from "./pass-figures.js";
import type { BenchStack } from "./start-bench-stack.js";

/** The tag the send rows' extra members carry (and some demo members too). */
const SEND_TAG = "interest:tea";
const NAMES = ["王小明", "欧阳修", "李娜", "张伟", "陈静", "刘洋"];

export interface SendRowOptions {
  /** Matching members selected by the first row (default 1,000,000). */
  sendMembers: number;
  /** Messages each delivery row sends (default 20,000). */
  sendMessages: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The send pipeline's rows, on the owner's real node process (its start and batch jobs, its
 * database, its adapters) delivering to the loopback sinks of the bench process:
 * 1. selecting `sendMembers` matching members, issuing their coupons and queueing their batches
 *    (wall clock from the approval to SENDING seen in the database, which includes up to one
 *    start poll, 1 s);
 * 2. and 3. delivering `sendMessages` SMS to the webhook sink and emails to the SMTP sink, from
 *    the first attempt to the last outcome recorded (the database's clock), every attempt checked.
 * Requests are approved in the node's database (the bench measures sending, not deciding).
 */
export const SEND_SPECS: Readonly<Record<"select" | "sms" | "email", FigureSpec>> = {
  select: { id: "send-select", figure: "send: select members, issue coupons, queue batches", unit: "s", target: { kind: "at-most", value: 30, of: "measured", sizeBound: true } },
  sms: { id: "send-sms", figure: "send: SMS to the loopback webhook sink", unit: "/s", target: { kind: "at-least", value: 2_000, of: "measured", sizeBound: false } },
  email: { id: "send-email", figure: "send: email to the loopback SMTP sink", unit: "/s", target: { kind: "at-least", value: 800, of: "measured", sizeBound: false } },
};

export async function measureSendRows(bench: BenchStack, options: SendRowOptions, say: (line: string) => void, run: { quick: boolean }): Promise<FigureRow[]> {
  const node = bench.stack.nodes.get(OWNER);
  if (!node) throw new Error(`no node ${OWNER}`);
  const [tag] = await bench.sql<{ id: number }>(OWNER, "SELECT id FROM tag_dictionary WHERE key = $1", [SEND_TAG]);
  if (!tag) throw new Error(`${SEND_TAG} is not in ${OWNER}'s dictionary`);
  const [{ n: present } = { n: 0 }] = await bench.sql<{ n: number }>(OWNER, "SELECT count(*)::int AS n FROM members WHERE tag_ids @> ARRAY[$1]::int[] AND consent_sms AND consent_email", [tag.id]);
  const missing = Math.max(0, options.sendMembers - present);
  say(`  send rows: seeding ${missing.toLocaleString("en-US")} more ${OWNER} members with ${SEND_TAG} (SQL)...`);
  const seedStart = performance.now();
  for (let from = 0; from < missing; from += 200_000) {
    await bench.sql(
      OWNER,
      `INSERT INTO members (external_id, name, phone, email, join_date, consent_sms, consent_email, tag_ids)
       SELECT 'send-bench-' || g, ($4::text[])[1 + g % 6], '+8619' || lpad(g::text, 9, '0'), 'member' || g || '@bench.example', current_date, true, true, ARRAY[$1]::int[]
       FROM generate_series($2::int, $3::int) AS g`,
      [tag.id, from + 1, Math.min(missing, from + 200_000), NAMES],
    );
  }
  await bench.sql(OWNER, "VACUUM ANALYZE members");
  say(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);

  const rows: FigureRow[] = [];
  // Row 1: select and queue a million; then stop that send (its batches find it no longer SENDING).
  const big = await approvedRequest(bench, "SMS", options.sendMembers);
  const started = performance.now();
  await bench.sql(OWNER, "UPDATE incoming_requests SET status = 'APPROVED' WHERE request_id = $1", [big]);
  await waitFor(bench, big, ["SENDING", "SENT", "FAILED"], 600_000);
  const selectMs = performance.now() - started;
  await bench.sql(OWNER, "UPDATE incoming_requests SET status = 'CANCELLED' WHERE request_id = $1", [big]);
  const [selected] = await bench.sql<{ n: number; batches: number; coupons: number }>(
    OWNER,
    "SELECT count(*)::int AS n, count(DISTINCT batch)::int AS batches, count(DISTINCT coupon_code)::int AS coupons FROM outreach_recipients WHERE request_id = $1",
    [big],
  );
  const [jobs] = await bench.sql<{ n: number }>(OWNER, "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'outreach-batch' AND data->>'requestId' = $1", [big]);
  say(`  send-select: ${selected?.n ?? 0} selected, ${selected?.coupons ?? 0} distinct coupons, ${selected?.batches ?? 0} batches, ${jobs?.n ?? 0} jobs, ${(selectMs / 1000).toFixed(1)} s`);
  const selectSpec = { ...SEND_SPECS.select, figure: `${SEND_SPECS.select.figure}, ${options.sendMembers.toLocaleString("en-US")} members` };
  const selectedAll = selected?.n === options.sendMembers;
  rows.push(
    figureRow(
      selectSpec,
      {
        measured: selectMs / 1000,
        extra: {
          n: selected?.n ?? 0,
          note: `${Math.round(((selected?.n ?? 0) * 1000) / selectMs).toLocaleString("en-US")} members/s`,
          ...(selectedAll ? {} : { error: `${selected?.n ?? 0} of ${options.sendMembers} selected` }),
        },
      },
      run,
    ),
  );
  // Let the cancelled request's batch jobs drain (each finds it no longer SENDING).
  await bench.sql(OWNER, "DELETE FROM pgboss.job WHERE name = 'outreach-batch' AND data->>'requestId' = $1 AND state = 'created'", [big]);

  for (const [channel, spec] of [
    ["SMS", SEND_SPECS.sms],
    ["EMAIL", SEND_SPECS.email],
  ] as const) {
    const requestId = await approvedRequest(bench, channel, options.sendMessages);
    await bench.sql(OWNER, "UPDATE incoming_requests SET status = 'APPROVED' WHERE request_id = $1", [requestId]);
    const status = await waitFor(bench, requestId, ["SENT", "FAILED"], 1_800_000);
    const [figures] = await bench.sql<{ n: number; sent: number; attempts: number; ms: number }>(
      OWNER,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE r.status = 'SENT')::int AS sent,
              (SELECT count(*)::int FROM delivery_attempts a WHERE a.request_id = $1 AND a.outcome = 'SENT') AS attempts,
              extract(epoch FROM max(r.finished_at) - (SELECT min(at) FROM delivery_attempts a WHERE a.request_id = $1)) * 1000 AS ms
       FROM outreach_recipients r WHERE r.request_id = $1`,
      [requestId],
    );
    const n = figures?.sent ?? 0;
    const ms = Number(figures?.ms ?? 0);
    const complete = status === "SENT" && figures?.attempts === figures?.n && n === figures?.n;
    say(`  ${spec.id}: ${channel} ${status}, ${n} sent, ${figures?.attempts ?? 0} attempts recorded, ${(ms / 1000).toFixed(1)} s`);
    const error = complete ? undefined : `${status}: ${n} of ${figures?.n ?? 0} sent, ${figures?.attempts ?? 0} attempts recorded`;
    rows.push(figureRow(spec, { measured: ms > 0 ? (n * 1000) / ms : null, extra: { n, note: `${n.toLocaleString("en-US")} messages in ${(ms / 1000).toFixed(1)} s`, ...(error ? { error } : {}) } }, run));
  }
  return rows;
}

/** A request as a node stores it at receipt, already decided (PENDING here; the row approves it). */
async function approvedRequest(bench: BenchStack, channel: "SMS" | "EMAIL", cap: number): Promise<string> {
  const id = randomUUID();
  await bench.sql(
    OWNER,
    `INSERT INTO incoming_requests (request_id, version, requester_brand, expression, channel, subject, message, purpose, max_recipients,
                                    send_after, expires_at, targets, content_hash, approved_cap, decided_by, decided_at)
     VALUES ($1, 1, 'pieshop', $2, $3, $4, $5, 'bench', $6, now(), now() + interval '7 days', ARRAY['${OWNER}'], 'bench', $6, 'bench', now())`,
    [id, SEND_TAG, channel, channel === "EMAIL" ? "A pie for {{firstName}}" : null, "{{firstName}}, a pie on us: {{coupon}}", cap],
  );
  return id;
}

async function waitFor(bench: BenchStack, requestId: string, statuses: string[], timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await bench.sql<{ status: string }>(OWNER, "SELECT status FROM incoming_requests WHERE request_id = $1", [requestId]);
    if (row && statuses.includes(row.status)) return row.status;
    if (Date.now() > deadline) throw new Error(`request ${row?.status ?? "missing"} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

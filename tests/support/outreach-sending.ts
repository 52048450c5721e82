import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { eventually } from "./test-stack.js";
import type { TestStack } from "./test-stack.js";

const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id contentHash } }";
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** pieshop's analyst asks `targets` for a request; returns its id once every target node holds its copy. */
export async function requestOutreach(stack: TestStack, targets: string[], input: Record<string, unknown>): Promise<string> {
  const created = await stack.ask<{ createOutreachRequest: { id: string } }>({ brand: "pieshop", role: "analyst" }, CREATE, {
    input: { targetBrandIds: targets, purpose: "Partner offer", maxRecipientsPerBrand: 2_000, expiresAt: inDays(7), ...input },
  });
  expect(created.errors).toEqual([]);
  const id = created.data?.createOutreachRequest.id as string;
  for (const target of targets) {
    await eventually(async () => ((await stack.sql(target, "SELECT 1 FROM incoming_requests WHERE request_id = $1", [id])).length > 0 ? true : undefined));
  }
  return id;
}

const COPY = "query($id: ID!) { outreachRequest(id: $id) { targets { brandId copy { contentHash } } } }";
const DECIDE = `mutation($requestId: ID!, $contentHash: String!, $cap: Int) {
  decideOutreachRequest(requestId: $requestId, contentHash: $contentHash, decision: APPROVE, cap: $cap) { brandId status } }`;

/**
 * The owner's approver approves, as a person does: reads the node's copy (its content hash) and
 * decides on that hash through decideOutreachRequest, the one way a request leaves PENDING; so the
 * results' budget reservation and the coordinator's status are the real ones.
 */
export async function approve(stack: TestStack, brandId: string, requestId: string, cap: number): Promise<void> {
  const approver = { brand: brandId, role: "approver" } as const;
  const read = await stack.ask<{ outreachRequest: { targets: { brandId: string; copy: { contentHash: string } | null }[] } }>(approver, COPY, { id: requestId });
  expect(read.errors ?? []).toEqual([]);
  const contentHash = read.data?.outreachRequest.targets.find((target) => target.brandId === brandId)?.copy?.contentHash;
  if (!contentHash) throw new Error(`${brandId} holds no copy of ${requestId}`);
  const decided = await stack.ask<{ decideOutreachRequest: { brandId: string; status: string } }>(approver, DECIDE, { requestId, contentHash, cap });
  expect(decided.errors ?? []).toEqual([]);
  expect(decided.data?.decideOutreachRequest).toEqual({ brandId, status: "APPROVED" });
}

export async function targetStatus(stack: TestStack, brandId: string, requestId: string): Promise<string | undefined> {
  const [row] = await stack.sql<{ status: string }>(brandId, "SELECT status FROM incoming_requests WHERE request_id = $1", [requestId]);
  return row?.status;
}

export async function waitForStatus(stack: TestStack, brandId: string, requestId: string, statuses: string[], timeoutMs = 60_000): Promise<string> {
  return eventually(async () => {
    const status = await targetStatus(stack, brandId, requestId);
    return status && statuses.includes(status) ? status : undefined;
  }, timeoutMs);
}

export interface Recipient {
  member_seq: number;
  coupon_code: string;
  message_key: string;
  status: string;
  attempts: number;
  batch: number;
  email: string | null;
  phone: string | null;
}

export function recipientsOf(stack: TestStack, brandId: string, requestId: string): Promise<Recipient[]> {
  return stack.sql<Recipient>(
    brandId,
    `SELECT r.member_seq, r.coupon_code, r.message_key::text AS message_key, r.status, r.attempts, r.batch, m.email, m.phone
     FROM outreach_recipients r JOIN members m ON m.seq = r.member_seq WHERE r.request_id = $1 ORDER BY r.member_seq`,
    [requestId],
  );
}

/**
 * The members an independent oracle says a request may reach: tags looked up by key in the node's
 * dictionary (not through the node's expression compiler), consent and contact on the channel,
 * fewer than `frequencyCap` other messages (not FAILED) in the last 30 days.
 */
export async function eligibleMembers(
  stack: TestStack,
  brandId: string,
  options: { anyOf: string[][]; channel: "SMS" | "EMAIL"; excludeRequest: string; frequencyCap?: number },
): Promise<number[]> {
  const consent = options.channel === "SMS" ? "consent_sms AND phone IS NOT NULL" : "consent_email AND email IS NOT NULL";
  const rows = await stack.sql<{ seq: number; keys: string[] }>(
    brandId,
    `SELECT m.seq, array_agg(d.key) AS keys FROM members m JOIN tag_dictionary d ON d.id = ANY(m.tag_ids)
     WHERE ${consent}
       AND (SELECT count(*) FROM outreach_recipients r WHERE r.member_seq = m.seq AND r.request_id <> $1
            AND r.status <> 'FAILED' AND r.selected_at > now() - interval '30 days') < $2
     GROUP BY m.seq`,
    [options.excludeRequest, options.frequencyCap ?? 2],
  );
  return rows.filter((row) => options.anyOf.some((all) => all.every((key) => row.keys.includes(key)))).map((row) => row.seq).sort((a, b) => a - b);
}

/** The raw messages an SMTP sink stored: Message-ID, To and the text (quoted-printable undone). */
export async function sinkEmails(dir: string): Promise<{ messageId: string; to: string; raw: string; unsubscribe: string }[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".eml"));
  return Promise.all(
    files.map(async (name) => {
      const raw = await readFile(join(dir, name), "utf8");
      const unfolded = raw.replace(/\r?\n[ \t]+/g, " ");
      const header = (field: string) => new RegExp(`^${field}:\\s*(.*)$`, "im").exec(unfolded)?.[1]?.trim() ?? "";
      return { messageId: header("Message-ID"), to: header("To"), raw, unsubscribe: header("List-Unsubscribe") };
    }),
  );
}

/** The SMS sink's stored messages (one file per Idempotency-Key). */
export async function sinkSms(dir: string): Promise<{ key: string; to: string; text: string }[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".json"));
  return Promise.all(files.map(async (name) => JSON.parse(await readFile(join(dir, name), "utf8")) as { key: string; to: string; text: string }));
}

import { createHash } from "node:crypto";
import { expect } from "vitest";
import { eventually } from "./test-stack.js";
import type { TestStack } from "./test-stack.js";

export const RULES = "query { sharingRules { policies validatedAt hash } }";
export const UPDATE = "mutation($p: String!) { updateSharingRules(policies: $p) { policies validatedAt hash } }";
const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id contentHash } }";
const TARGET = "query($id: ID!) { outreachRequest(id: $id) { targets { brandId status reason decidedBy copy { approvedCap } } } }";
const TEABAR_ADMIN = { brand: "teabar", role: "admin" } as const;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
export const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.map((error) => error.extensions?.code);

export type Copy = {
  status: string;
  decided_kind: string | null;
  decided_by: string | null;
  approved_cap: number | null;
  release_at: Date | null;
  released_at: Date | null;
  decline_reason: string | null;
};

/**
 * The coordinator's log of one request as shapes (type, actor, payload keys, status): what must
 * be the same for a person's decline and an automatic one.
 */
export async function platformShape(stack: TestStack, requestId: string) {
  const events = await stack.sql<{ type: string; actor: Record<string, unknown>; payload: Record<string, unknown> }>(
    "coordinator",
    "SELECT type, actor, payload FROM audit_events WHERE payload->>'requestId' = $1 OR subject->>'id' = $1 ORDER BY seq",
    [requestId],
  );
  return events.map((event) => ({ type: event.type, actor: event.actor, keys: Object.keys(event.payload).sort(), status: event.payload.status ?? null }));
}

/** Requests to teabar, teabar's copy of them, the requester's and owner's views, teabar's rules. */
export function sharingRulesHelpers(stackOf: () => TestStack, expression: string) {
  const request = (overrides: Record<string, unknown> = {}) => ({
    targetBrandIds: ["teabar"],
    expression,
    channel: "EMAIL",
    subject: "A pie on us",
    message: "Hello {{firstName}}, show code {{coupon}} at any PaiPai shop: https://pie.example/offer",
    purpose: "New-member welcome",
    maxRecipientsPerBrand: 500,
    sendAfter: inDays(1),
    expiresAt: inDays(7),
    ...overrides,
  });
  const create = async (claims: { brand: string; role: "analyst" }, overrides: Record<string, unknown> = {}) => {
    const created = await stackOf().ask<{ createOutreachRequest: { id: string; contentHash: string } }>(claims, CREATE, { input: request(overrides) });
    expect(created.errors ?? []).toEqual([]);
    return created.data?.createOutreachRequest as { id: string; contentHash: string };
  };
  const copyAt = async (requestId: string) =>
    (
      await stackOf().sql<Copy>("teabar", "SELECT status, decided_kind, decided_by, approved_cap, release_at, released_at, decline_reason FROM incoming_requests WHERE request_id = $1", [
        requestId,
      ])
    )[0];
  const stored = (requestId: string) => eventually(async () => (await copyAt(requestId)) ?? undefined);
  const coordinatorStatus = async (requestId: string) =>
    (await stackOf().sql<{ status: string }>("coordinator", "SELECT status FROM outreach_targets WHERE request_id = $1 AND brand_id = 'teabar'", [requestId]))[0]?.status;
  const atCoordinator = (requestId: string, status: string) => eventually(async () => ((await coordinatorStatus(requestId)) === status ? true : undefined), 30_000);
  const target = async (claims: Parameters<TestStack["ask"]>[0], requestId: string) => {
    const answer = await stackOf().ask<{ outreachRequest: { targets: Record<string, unknown>[] } }>(claims, TARGET, { id: requestId });
    expect(answer.errors ?? []).toEqual([]);
    return answer.data?.outreachRequest.targets[0];
  };
  const rules = async () => (await stackOf().ask<{ sharingRules: { policies: string; validatedAt: string | null; hash: string } }>(TEABAR_ADMIN, RULES)).data?.sharingRules;
  const save = async (policies: string) => {
    const saved = await stackOf().ask<{ updateSharingRules: { policies: string; hash: string } }>(TEABAR_ADMIN, UPDATE, { p: policies });
    expect(saved.errors ?? []).toEqual([]);
    return saved.data?.updateSharingRules;
  };
  const ruleEvents = () => stackOf().sql<{ payload: Record<string, unknown> }>("teabar", "SELECT payload FROM audit_events WHERE type = 'sharing_rules.updated' ORDER BY seq");

  return { create, copyAt, stored, coordinatorStatus, atCoordinator, target, rules, save, ruleEvents };
}

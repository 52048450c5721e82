import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentHash } from "@brandpool/outreach-message";
import { importPrivateKey, mintNodeClientToken } from "@brandpool/tokens";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// The outreach issue's second step at the coordinator: each target node pulls what is addressed
// to its own brand and acknowledges each version it stored.

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id contentHash } }";
const INBOX = `query($after: String, $first: Int) { outreachInbox(after: $after, first: $first) {
  deliveries { requestId version status requesterBrandId targetBrandIds expression channel subject message purpose maxRecipientsPerBrand sendAfter expiresAt contentHash }
  endCursor } }`;
const ACK = "mutation($requestId: ID!, $version: Int!) { acknowledgeOutreach(requestId: $requestId, version: $version) }";

interface Delivery {
  requestId: string;
  version: number;
  status: string;
  requesterBrandId: string;
  targetBrandIds: string[];
  expression: string;
  channel: "SMS" | "EMAIL" | "MAIL";
  subject: string | null;
  message: string;
  purpose: string;
  maxRecipientsPerBrand: number;
  sendAfter: string;
  expiresAt: string;
  contentHash: string;
}
type InboxAnswer = { outreachInbox: { deliveries: Delivery[]; endCursor: string | null } };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

function smsRequest(targetBrandIds: string[]): Record<string, unknown> {
  return {
    targetBrandIds,
    expression: "age:25-34",
    channel: "SMS",
    message: "PaiPai: a pie on us with code {{coupon}}",
    purpose: "New-member welcome",
    maxRecipientsPerBrand: 500,
    sendAfter: inDays(1),
    expiresAt: inDays(7),
  };
}

describe("delivery of outreach requests to their target nodes", () => {
  let stack: TestStack;
  let both: { id: string; contentHash: string };
  let stylehubOnly: { id: string; contentHash: string };
  beforeAll(async () => {
    stack = await startTestStack();
    const create = async (targets: string[]) => {
      const created = await stack.ask<{ createOutreachRequest: { id: string; contentHash: string } }>(PIESHOP_ANALYST, CREATE, { input: smsRequest(targets) });
      expect(created.errors).toEqual([]);
      return created.data?.createOutreachRequest as { id: string; contentHash: string };
    };
    both = await create(["teabar", "stylehub"]);
    stylehubOnly = await create(["stylehub"]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const nodeToken = async (brandId: string) => {
    const key = stack.keys.nodes[brandId]?.key;
    if (!key) throw new Error(`no node key for ${brandId}`);
    return mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", brandId);
  };
  const targetsState = () =>
    stack.sql<{ request_id: string; brand_id: string; version: number; delivered_version: number }>(
      "coordinator",
      "SELECT request_id::text, brand_id, version, delivered_version FROM outreach_targets ORDER BY request_id, brand_id",
    );
  const deliveredEvents = () =>
    stack.sql<{ subject: Record<string, unknown>; payload: Record<string, unknown>; actor: Record<string, unknown> }>(
      "coordinator",
      "SELECT subject, payload, actor FROM audit_events WHERE type = 'outreach.delivered' ORDER BY seq",
    );

  it("gives a node the requests addressed to its brand, with content it can hash to the coordinator's hash, and nothing else", async () => {
    const answer = await stack.ask<InboxAnswer>(await nodeToken("teabar"), INBOX, {});
    expect(answer.errors).toEqual([]);
    const deliveries = answer.data?.outreachInbox.deliveries ?? [];
    expect(deliveries.map((delivery) => [delivery.requestId, delivery.version, delivery.status])).toEqual([[both.id, 1, "PENDING"]]);
    const delivery = deliveries[0] as Delivery;
    expect(delivery.targetBrandIds).toEqual(["stylehub", "teabar"]);
    expect(delivery.contentHash).toBe(both.contentHash);
    expect(
      contentHash({
        channel: delivery.channel,
        subject: delivery.subject,
        message: delivery.message,
        expression: delivery.expression,
        purpose: delivery.purpose,
        cap: delivery.maxRecipientsPerBrand,
        sendWindow: { start: delivery.sendAfter, end: delivery.expiresAt },
        expiresAt: delivery.expiresAt,
        targets: delivery.targetBrandIds,
      }),
    ).toBe(both.contentHash);

    const stylehub = await stack.ask<InboxAnswer>(await nodeToken("stylehub"), INBOX, { first: 1 });
    expect(stylehub.data?.outreachInbox.deliveries.map((d) => d.requestId)).toEqual([both.id]);
    const next = await stack.ask<InboxAnswer>(await nodeToken("stylehub"), INBOX, { first: 1, after: stylehub.data?.outreachInbox.endCursor });
    expect(next.data?.outreachInbox.deliveries.map((d) => d.requestId)).toEqual([stylehubOnly.id]);
  });

  it("records an acknowledgement once, audited once, and leaves the acknowledged version out of the inbox", async () => {
    const token = await nodeToken("teabar");
    for (let i = 0; i < 3; i += 1) {
      const acked = await stack.ask<{ acknowledgeOutreach: boolean }>(token, ACK, { requestId: both.id, version: 1 });
      expect(acked.errors).toEqual([]);
      expect(acked.data?.acknowledgeOutreach).toBe(true);
    }
    const events = await deliveredEvents();
    expect(events.map((event) => [event.subject.id, event.payload.target, event.payload.version])).toEqual([[both.id, "teabar", 1]]);
    expect(events[0]?.actor).toMatchObject({ kind: "node" });
    const after = await stack.ask<InboxAnswer>(token, INBOX, {});
    expect(after.data?.outreachInbox.deliveries).toEqual([]);
    // stylehub's own target of the same request is still to be delivered.
    const stylehub = await stack.ask<InboxAnswer>(await nodeToken("stylehub"), INBOX, {});
    expect(stylehub.data?.outreachInbox.deliveries.map((d) => d.requestId)).toEqual([both.id, stylehubOnly.id]);
  });

  it("refuses a brand's analyst the inbox (FORBIDDEN) and changes nothing", async () => {
    const before = { targets: await targetsState(), events: await deliveredEvents() };
    const pulled = await stack.ask(PIESHOP_ANALYST, INBOX, {});
    expect(pulled.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    const acked = await stack.ask({ brand: "stylehub", role: "admin" }, ACK, { requestId: stylehubOnly.id, version: 1 });
    expect(acked.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect({ targets: await targetsState(), events: await deliveredEvents() }).toEqual(before);
  });

  it("refuses a node's acknowledgement of another brand's target (NOT_FOUND) and changes nothing", async () => {
    const before = { targets: await targetsState(), events: await deliveredEvents() };
    const acked = await stack.ask(await nodeToken("teabar"), ACK, { requestId: stylehubOnly.id, version: 1 });
    expect(acked.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    const wrongVersion = await stack.ask(await nodeToken("stylehub"), ACK, { requestId: stylehubOnly.id, version: 2 });
    expect(wrongVersion.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    expect({ targets: await targetsState(), events: await deliveredEvents() }).toEqual(before);
  });
});

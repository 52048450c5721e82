import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentHash } from "@brandpool/outreach-message";
import { importPrivateKey, mintNodeClientToken } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// The outreach issue's second step: each target node pulls what is addressed to its own brand
// from the coordinator, through the gateway, stores its own copy after re-checking the hash, and
// acknowledges each version it stored (the node's pull-outreach job, every 2 s and at start).

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const STYLEHUB_ANALYST = { brand: "stylehub", role: "analyst" } as const;
const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id contentHash } }";
const INBOX = `query($after: String, $first: Int) { outreachInbox(after: $after, first: $first) {
  deliveries { requestId version status requesterBrandId targetBrandIds expression channel subject message purpose maxRecipientsPerBrand sendAfter expiresAt contentHash }
  endCursor } }`;
const ACK = "mutation($requestId: ID!, $version: Int!) { acknowledgeOutreach(requestId: $requestId, version: $version) }";
const CANCEL = "mutation($requestId: ID!) { cancelOutreachRequest(requestId: $requestId) { id status } }";

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
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const create = async (targets: string[], overrides: Record<string, unknown> = {}) => {
    const created = await stack.ask<{ createOutreachRequest: { id: string; contentHash: string } }>(PIESHOP_ANALYST, CREATE, {
      input: { ...smsRequest(targets), ...overrides },
    });
    expect(created.errors).toEqual([]);
    return created.data?.createOutreachRequest as { id: string; contentHash: string };
  };
  const nodeToken = async (brandId: string) => {
    const key = stack.keys.nodes[brandId]?.key;
    if (!key) throw new Error(`no node key for ${brandId}`);
    return mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", brandId);
  };
  const copiesAt = (brandId: string, requestId: string) =>
    stack.sql<{ content_hash: string; status: string; version: number; requester_brand: string }>(
      brandId,
      "SELECT content_hash, status, version, requester_brand FROM incoming_requests WHERE request_id = $1",
      [requestId],
    );
  const receivedEventsAt = (brandId: string, requestId: string) =>
    stack.sql<{ payload: Record<string, unknown> }>(brandId, "SELECT payload FROM audit_events WHERE type = 'outreach.received' AND subject->>'id' = $1", [requestId]);
  const targetsState = () =>
    stack.sql<{ request_id: string; brand_id: string; version: number; delivered_version: number }>(
      "coordinator",
      "SELECT request_id::text, brand_id, version, delivered_version FROM outreach_targets ORDER BY request_id, brand_id",
    );
  const deliveredEvents = (requestId?: string) =>
    stack.sql<{ subject: Record<string, unknown>; payload: Record<string, unknown>; actor: Record<string, unknown> }>(
      "coordinator",
      "SELECT subject, payload, actor FROM audit_events WHERE type = 'outreach.delivered' AND ($1::text IS NULL OR subject->>'id' = $1) ORDER BY seq",
      [requestId ?? null],
    );
  const delivered = (requestId: string, brandId: string) =>
    eventually(async () => ((await targetsState()).find((t) => t.request_id === requestId && t.brand_id === brandId)?.delivered_version === 1 ? true : undefined));

  it("a request to teabar and stylehub reaches both nodes' databases within seconds, each once, with the coordinator's hash", async () => {
    const request = await create(["teabar", "stylehub"]);
    for (const brandId of ["teabar", "stylehub"]) {
      await delivered(request.id, brandId);
      expect(await copiesAt(brandId, request.id)).toEqual([{ content_hash: request.contentHash, status: "PENDING", version: 1, requester_brand: "pieshop" }]);
      const received = await receivedEventsAt(brandId, request.id);
      expect(received.map((event) => event.payload.contentHash)).toEqual([request.contentHash]);
      expect(JSON.stringify(received)).not.toContain("coupon");
    }
    // Further pulls (every 2 s) store nothing again and acknowledge nothing again.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    for (const brandId of ["teabar", "stylehub"]) expect(await receivedEventsAt(brandId, request.id)).toHaveLength(1);
    const events = await deliveredEvents(request.id);
    expect(events.map((event) => event.payload.target).sort()).toEqual(["stylehub", "teabar"]);
    expect(events.every((event) => event.actor.kind === "node")).toBe(true);
    expect((await stack.ask<InboxAnswer>(await nodeToken("teabar"), INBOX, {})).data?.outreachInbox.deliveries).toEqual([]);
  });

  it("a node that was down receives what was sent meanwhile when back, once, and refuses a copy whose hash does not match", async () => {
    await stack.nodes.get("teabar")?.stop();
    const tampered = await create(["teabar"], { purpose: "Tampered at the coordinator" });
    const missed = await create(["teabar", "stylehub"]);
    await delivered(missed.id, "stylehub");
    // While teabar is down its inbox holds both, with content that hashes to the coordinator's hash.
    const inbox = await stack.ask<InboxAnswer>(await nodeToken("teabar"), INBOX, { first: 1 });
    expect(inbox.errors).toEqual([]);
    const first = inbox.data?.outreachInbox.deliveries[0] as Delivery;
    expect(first.requestId).toBe(tampered.id);
    expect(
      contentHash({
        channel: first.channel,
        subject: first.subject,
        message: first.message,
        expression: first.expression,
        purpose: first.purpose,
        cap: first.maxRecipientsPerBrand,
        sendWindow: { start: first.sendAfter, end: first.expiresAt },
        expiresAt: first.expiresAt,
        targets: first.targetBrandIds,
      }),
    ).toBe(tampered.contentHash);
    const next = await stack.ask<InboxAnswer>(await nodeToken("teabar"), INBOX, { first: 1, after: inbox.data?.outreachInbox.endCursor });
    expect(next.data?.outreachInbox.deliveries.map((d) => d.requestId)).toEqual([missed.id]);
    // Behind the coordinator's back (its trigger refuses UPDATE): the stored hash no longer covers the message.
    await stack.sql("coordinator", `SET session_replication_role = replica; UPDATE outreach_requests SET message = 'PaiPai: everything free with {{coupon}}' WHERE id = '${tampered.id}'`);

    await stack.restartNode("teabar");
    await delivered(missed.id, "teabar");
    expect(await copiesAt("teabar", missed.id)).toEqual([{ content_hash: missed.contentHash, status: "PENDING", version: 1, requester_brand: "pieshop" }]);
    expect(await receivedEventsAt("teabar", missed.id)).toHaveLength(1);
    // The tampered request came first in teabar's inbox: refused, not stored, not acknowledged.
    expect(await copiesAt("teabar", tampered.id)).toEqual([]);
    expect(await receivedEventsAt("teabar", tampered.id)).toEqual([]);
    expect(await deliveredEvents(tampered.id)).toEqual([]);
    expect((await targetsState()).find((t) => t.request_id === tampered.id)?.delivered_version).toBe(0);
  });

  it("a cancellation made while teabar was down reaches it when back: its copy CANCELLED, once", async () => {
    const request = await create(["teabar", "stylehub"]);
    await delivered(request.id, "teabar");
    await delivered(request.id, "stylehub");
    await stack.nodes.get("teabar")?.stop();
    const otherBrand = await stack.ask(STYLEHUB_ANALYST, CANCEL, { requestId: request.id });
    expect(otherBrand.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    const cancelled = await stack.ask<{ cancelOutreachRequest: { id: string; status: string } }>(PIESHOP_ANALYST, CANCEL, { requestId: request.id });
    expect(cancelled.errors).toEqual([]);
    // Both targets were cancelled (the event below names them): the request as a whole is CANCELLED.
    expect(cancelled.data?.cancelOutreachRequest).toEqual({ id: request.id, status: "CANCELLED" });
    const cancelledEvents = () =>
      stack.sql<{ payload: Record<string, unknown> }>("coordinator", "SELECT payload FROM audit_events WHERE type = 'outreach.cancelled' AND subject->>'id' = $1", [request.id]);
    expect((await cancelledEvents()).map((event) => event.payload.targets)).toEqual([["stylehub", "teabar"]]);
    await eventually(async () => ((await copiesAt("stylehub", request.id))[0]?.status === "CANCELLED" ? true : undefined));
    expect((await copiesAt("teabar", request.id))[0]?.status).toBe("PENDING");

    await stack.restartNode("teabar");
    await eventually(async () => ((await copiesAt("teabar", request.id))[0]?.status === "CANCELLED" ? true : undefined));
    expect(await copiesAt("teabar", request.id)).toEqual([{ content_hash: request.contentHash, status: "CANCELLED", version: 2, requester_brand: "pieshop" }]);
    const nodeEvents = await stack.sql<{ type: string }>("teabar", "SELECT type FROM audit_events WHERE type LIKE 'outreach.%' AND subject->>'id' = $1 ORDER BY seq", [request.id]);
    expect(nodeEvents.map((event) => event.type)).toEqual(["outreach.received", "outreach.cancelled"]);

    // Nothing is left to cancel: CONFLICT, and nothing changes. (The node stores its copy before it
    // acknowledges: wait for both acknowledgements, so the snapshot is not taken between the two.)
    await eventually(async () => {
      const mine = (await targetsState()).filter((target) => target.request_id === request.id);
      return mine.length === 2 && mine.every((target) => target.delivered_version === 2) ? true : undefined;
    });
    const before = await targetsState();
    const again = await stack.ask(PIESHOP_ANALYST, CANCEL, { requestId: request.id });
    expect(again.errors?.map((error) => error.extensions?.code)).toEqual(["CONFLICT"]);
    expect(await targetsState()).toEqual(before);
    expect(await cancelledEvents()).toHaveLength(1);
  });

  it("refuses a brand's people the inbox and acknowledgements (FORBIDDEN) and changes nothing", async () => {
    const before = { targets: await targetsState(), events: await deliveredEvents() };
    const pulled = await stack.ask(PIESHOP_ANALYST, INBOX, {});
    expect(pulled.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    const teabarAdmin = await stack.ask({ brand: "teabar", role: "admin" }, INBOX, {});
    expect(teabarAdmin.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    const acked = await stack.ask({ brand: "teabar", role: "admin" }, ACK, { requestId: before.targets[0]?.request_id, version: 1 });
    expect(acked.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect({ targets: await targetsState(), events: await deliveredEvents() }).toEqual(before);
  });

  it("refuses a node's acknowledgement of another brand's target (NOT_FOUND) and changes nothing", async () => {
    const teabarOnly = (await targetsState()).find((t) => t.brand_id === "teabar" && t.delivered_version === 0);
    expect(teabarOnly).toBeDefined();
    const before = { targets: await targetsState(), events: await deliveredEvents() };
    const acked = await stack.ask(await nodeToken("stylehub"), ACK, { requestId: teabarOnly?.request_id, version: 1 });
    expect(acked.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    const pieshop = await stack.ask<InboxAnswer>(await nodeToken("pieshop"), INBOX, {});
    expect(pieshop.data?.outreachInbox.deliveries).toEqual([]);
    expect({ targets: await targetsState(), events: await deliveredEvents() }).toEqual(before);
  });
});

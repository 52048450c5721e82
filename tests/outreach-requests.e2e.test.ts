import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentHash } from "@brandpool/outreach-message";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// The outreach issue's first step: a requester creates a request at the coordinator, validated
// whole before anything is written, never changed after; lists follow Relay connections.

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const STYLEHUB_ANALYST = { brand: "stylehub", role: "analyst" } as const;

const REQUEST_FIELDS = "id requesterBrandId expression channel subject message purpose maxRecipientsPerBrand sendAfter expiresAt contentHash createdAt targets { brandId status statusAt }";
const CREATE = `mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { ${REQUEST_FIELDS} } }`;

interface Request {
  id: string;
  requesterBrandId: string;
  channel: string;
  contentHash: string;
  sendAfter: string;
  expiresAt: string;
  maxRecipientsPerBrand: number;
  targets: { brandId: string; status: string; statusAt: string }[];
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

function emailRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    targetBrandIds: ["teabar", "stylehub"],
    expression: "age:25-34 and lifecycle:new",
    channel: "EMAIL",
    subject: "{{firstName}}, a pie on us",
    message: "Hello {{firstName}}, show code {{coupon}} at any PaiPai shop: https://pie.example/offer",
    purpose: "New-member welcome",
    maxRecipientsPerBrand: 500,
    sendAfter: inDays(1),
    expiresAt: inDays(7),
    ...overrides,
  };
}

describe("outreach requests at the coordinator", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const counts = async () =>
    (
      await stack.sql<{ requests: number; targets: number; events: number }>(
        "coordinator",
        `SELECT (SELECT count(*)::int FROM outreach_requests) AS requests, (SELECT count(*)::int FROM outreach_targets) AS targets,
                (SELECT count(*)::int FROM audit_events WHERE type = 'outreach.requested') AS events`,
      )
    )[0];

  it("creates a request with every target PENDING, its content hash, and an audit event", async () => {
    const input = emailRequest();
    const created = await stack.ask<{ createOutreachRequest: Request }>(PIESHOP_ANALYST, CREATE, { input });
    expect(created.errors).toEqual([]);
    const request = created.data?.createOutreachRequest as Request;
    expect(request.requesterBrandId).toBe("pieshop");
    expect(request.targets.map((target) => [target.brandId, target.status])).toEqual([
      ["stylehub", "PENDING"],
      ["teabar", "PENDING"],
    ]);
    // Times a partner sees are whole hours.
    for (const target of request.targets) expect(new Date(target.statusAt).getTime() % 3_600_000).toBe(0);
    // The hash covers what an owner approves, recomputed here from the input alone.
    expect(request.contentHash).toBe(
      contentHash({
        channel: "EMAIL",
        subject: input.subject as string,
        message: input.message as string,
        expression: input.expression as string,
        purpose: input.purpose as string,
        cap: 500,
        sendWindow: { start: input.sendAfter as string, end: input.expiresAt as string },
        expiresAt: input.expiresAt as string,
        targets: ["teabar", "stylehub"],
      }),
    );
    const [event] = await stack.sql<{ actor: Record<string, unknown>; payload: Record<string, unknown> }>(
      "coordinator",
      "SELECT actor, payload FROM audit_events WHERE type = 'outreach.requested' AND subject->>'id' = $1",
      [request.id],
    );
    expect(event?.payload).toEqual({ requester: "pieshop", targets: ["stylehub", "teabar"], channel: "EMAIL", contentHash: request.contentHash, cap: 500 });
    expect(event?.actor).toMatchObject({ kind: "user", brand: "pieshop", role: "analyst" });

    // Once created, a request never changes, not even behind the API's back.
    await expect(stack.sql("coordinator", "UPDATE outreach_requests SET message = 'changed' WHERE id = $1", [request.id])).rejects.toMatchObject({ code: "P0001" });
    await expect(stack.sql("coordinator", "DELETE FROM outreach_requests WHERE id = $1", [request.id])).rejects.toMatchObject({ code: "P0001" });
  });

  it("refuses each bad request with a typed error and writes nothing", async () => {
    const before = await counts();
    const tries: { what: string; input: Record<string, unknown>; code: string; reason?: string }[] = [
      { what: "an unknown target", input: emailRequest({ targetBrandIds: ["nosuchbrand"] }), code: "BAD_INPUT" },
      { what: "its own brand as a target", input: emailRequest({ targetBrandIds: ["pieshop", "teabar"] }), code: "BAD_INPUT" },
      { what: "a target twice", input: emailRequest({ targetBrandIds: ["teabar", "teabar"] }), code: "BAD_INPUT" },
      { what: "no target", input: emailRequest({ targetBrandIds: [] }), code: "BAD_INPUT" },
      { what: "a bad expression", input: emailRequest({ expression: "age:25-34 and (" }), code: "BAD_EXPRESSION" },
      { what: "an unknown tag", input: emailRequest({ expression: "interest:knitting" }), code: "UNKNOWN_TAG" },
      { what: "a sensitive tag", input: emailRequest({ expression: "interest:parenting and health:pregnant" }), code: "SENSITIVE_TAG" },
      { what: "HTML", input: emailRequest({ message: "Hi <b>{{firstName}}</b>" }), code: "BAD_INPUT", reason: "HTML" },
      { what: "a coupon inside a link", input: emailRequest({ message: "Go to https://pie.example/c/{{coupon}}" }), code: "BAD_INPUT", reason: "COUPON_IN_LINK" },
      { what: "the coupon twice", input: emailRequest({ message: "{{coupon}} and {{coupon}}" }), code: "BAD_INPUT", reason: "COUPON_TWICE" },
      { what: "an unknown placeholder", input: emailRequest({ message: "Hi {{lastName}}" }), code: "BAD_INPUT", reason: "UNKNOWN_PLACEHOLDER" },
      { what: "an email without a subject", input: emailRequest({ subject: null }), code: "BAD_INPUT", reason: "SUBJECT_REQUIRED" },
      {
        what: "an SMS over three UCS-2 parts",
        input: emailRequest({ channel: "SMS", subject: null, message: `${"派".repeat(190)} {{coupon}}` }),
        code: "BAD_INPUT",
        reason: "TOO_LONG",
      },
      { what: "an expiry in the past", input: emailRequest({ sendAfter: null, expiresAt: inDays(-1) }), code: "BAD_INPUT" },
      { what: "an expiry before the send time", input: emailRequest({ sendAfter: inDays(8), expiresAt: inDays(7) }), code: "BAD_INPUT" },
      { what: "an expiry over 90 days ahead", input: emailRequest({ expiresAt: inDays(91) }), code: "BAD_INPUT" },
      { what: "a time without a zone", input: emailRequest({ expiresAt: "2027-01-05T10:00:00" }), code: "BAD_INPUT" },
      { what: "a cap of zero", input: emailRequest({ maxRecipientsPerBrand: 0 }), code: "BAD_INPUT" },
      { what: "an empty purpose", input: emailRequest({ purpose: "  " }), code: "BAD_INPUT" },
    ];
    for (const { what, input, code, reason } of tries) {
      const result = await stack.ask(PIESHOP_ANALYST, CREATE, { input });
      expect({ what, data: result.data, codes: result.errors.map((error) => error.extensions?.code) }).toEqual({ what, data: null, codes: [code] });
      if (reason) expect((result.errors[0]?.extensions?.details as { reason?: string })?.reason, what).toBe(reason);
    }
    expect(await counts()).toEqual(before);
  });

  it("lets only an admitted brand's analysts and admins create requests", async () => {
    const before = await counts();
    for (const claims of [TEABAR_APPROVER, { brand: "pieshop", role: "auditor" } as const, { role: "platform-admin" } as const]) {
      const result = await stack.ask(claims, CREATE, { input: emailRequest() });
      expect(result.errors.map((error) => error.extensions?.code), JSON.stringify(claims)).toEqual(["FORBIDDEN"]);
    }
    expect(await counts()).toEqual(before);
  });

  it("lists outgoing and incoming requests newest first, a page at a time, each target seeing only its own row", async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const result = await stack.ask<{ createOutreachRequest: Request }>(STYLEHUB_ANALYST, CREATE, {
        input: emailRequest({ targetBrandIds: i % 2 === 0 ? ["teabar"] : ["teabar", "pieshop"], purpose: `Campaign ${i}` }),
      });
      expect(result.errors).toEqual([]);
      made.push(result.data?.createOutreachRequest.id as string);
    }
    const LIST = `query($direction: OutreachDirection!, $first: Int, $after: String) {
      outreachRequests(direction: $direction, first: $first, after: $after) { edges { cursor node { id purpose targets { brandId status } } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    type Page = { outreachRequests: { edges: { node: { id: string; targets: { brandId: string }[] } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null } } };
    const walk = async (claims: Parameters<TestStack["ask"]>[0], direction: string) => {
      const seen: { id: string; targets: string[] }[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard += 1) {
        const page: Awaited<ReturnType<TestStack["ask"]>> & { data: Page | null } = await stack.ask<Page>(claims, LIST, { direction, first: 2, after });
        expect(page.errors).toEqual([]);
        const connection = page.data?.outreachRequests;
        expect(connection?.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...(connection?.edges ?? []).map((edge) => ({ id: edge.node.id, targets: edge.node.targets.map((target) => target.brandId) })));
        if (!connection?.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      return seen;
    };
    const outgoing = await walk(STYLEHUB_ANALYST, "OUTGOING");
    expect(outgoing.map((request) => request.id)).toEqual([...made].reverse());
    const incomingAtPieshop = await walk({ brand: "pieshop", role: "approver" }, "INCOMING");
    expect(incomingAtPieshop.map((request) => request.id)).toEqual([made[3], made[1]]);
    // Pieshop sees its own target only, not that teabar was asked too.
    expect(incomingAtPieshop.every((request) => request.targets.join() === "pieshop")).toBe(true);

    // A brand that is neither requester nor target finds nothing; a bad cursor is a typed error.
    const foreign = await stack.ask(PIESHOP_ANALYST, `query($id: ID!) { outreachRequest(id: $id) { id } }`, { id: made[0] });
    expect(foreign.errors.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    const badCursor = await stack.ask(STYLEHUB_ANALYST, LIST, { direction: "OUTGOING", first: 2, after: "bm90LWEtY3Vyc29y" });
    expect(badCursor.errors.map((error) => error.extensions?.code)).toEqual(["BAD_INPUT"]);
    const tooMany = await stack.ask(STYLEHUB_ANALYST, LIST, { direction: "OUTGOING", first: 101 });
    expect(tooMany.errors.map((error) => error.extensions?.code)).toEqual(["LIMIT_EXCEEDED"]);
  });

  it("refuses a 21st new request to one owner within a day with RATE_LIMITED, naming that owner", async () => {
    const today = await stack.sql<{ n: number }>(
      "coordinator",
      "SELECT count(*)::int AS n FROM outreach_targets t JOIN outreach_requests r ON r.id = t.request_id WHERE r.requester_brand = 'teabar' AND t.brand_id = 'stylehub'",
    );
    expect(today[0]?.n).toBe(0);
    for (let i = 0; i < 20; i += 1) {
      const result = await stack.ask({ brand: "teabar", role: "analyst" }, CREATE, { input: emailRequest({ targetBrandIds: ["stylehub"], purpose: `Daily ${i}` }) });
      expect(result.errors).toEqual([]);
    }
    const before = await counts();
    const refused = await stack.ask({ brand: "teabar", role: "analyst" }, CREATE, { input: emailRequest({ targetBrandIds: ["stylehub", "pieshop"] }) });
    expect(refused.errors.map((error) => error.extensions?.code)).toEqual(["RATE_LIMITED"]);
    expect((refused.errors[0]?.extensions?.details as { brandIds?: string[] })?.brandIds).toEqual(["stylehub"]);
    expect(await counts()).toEqual(before);
    // Another owner is not affected.
    const other = await stack.ask({ brand: "teabar", role: "analyst" }, CREATE, { input: emailRequest({ targetBrandIds: ["pieshop"] }) });
    expect(other.errors).toEqual([]);
  });
});

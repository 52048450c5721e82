import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import { newCouponCode } from "@brandpool/outreach-message";
import { requestOutreach } from "../support/outreach-sending.js";
import { postRaw } from "../support/raw-request.js";
import { approveAndSend } from "../support/seed-sent-request.js";
import { startTestStack } from "../support/test-stack.js";
import type { TestStack } from "../support/test-stack.js";

// Issue 9's adversarial suite, redemption: a requester that redeems codes it made up (or codes of
// the wrong request, or of the wrong shape) must learn nothing about which target issued a real
// one: the same body, code and message, about the same time, whichever targets the request names,
// and never a brand's name. coupon-redemption.e2e.test.ts covers what a real code does.

const REDEEM = "mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }";
const BRAND_NAMES = ["teabar", "stylehub", "Leaf Tea Bar", "一叶茶吧", "StyleHub", "风尚汇"];
// Byte for byte, as the gateway sends it (with its closing newline).
const UNKNOWN = `${JSON.stringify({ data: { redeemCoupon: { valid: false, reason: "UNKNOWN" } } })}\n`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
/** A code one character off a real one: as a guesser walking the neighbourhood of a code it saw would try. */
const nearMiss = (code: string) => `${code.slice(0, -1)}${code.endsWith("Z") ? "Y" : "Z"}`;

describe("invented coupon codes teach nothing about which target issued a real one", () => {
  let stack: TestStack;
  let sms: SmsSink;
  let sinkDir: string;
  /** Requests to both targets, to teabar only and to stylehub only, all sent. */
  const requests: Record<"both" | "teabar" | "stylehub", string> = { both: "", teabar: "", stylehub: "" };
  const issued: Record<string, Record<string, string[]>> = {};

  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "brandpool-invented-"));
    sms = await startSmsSink({ dir: sinkDir });
    stack = await startTestStack({
      kThreshold: 20,
      nodeEnv: () => ({ SMS_WEBHOOK_URL: sms.url, SEND_POLL_SECONDS: "1", QUIET_HOURS: "none" }),
    });
    const message = { expression: "age:25-34", channel: "SMS", message: "PaiPai: a pie on us with code {{coupon}}" };
    requests.both = await requestOutreach(stack, ["teabar", "stylehub"], message);
    requests.teabar = await requestOutreach(stack, ["teabar"], message);
    requests.stylehub = await requestOutreach(stack, ["stylehub"], message);
    const sends = [
      ["both", "teabar"],
      ["both", "stylehub"],
      ["teabar", "teabar"],
      ["stylehub", "stylehub"],
    ] as const;
    for (const [request, brand] of sends) {
      const sent = await approveAndSend(stack, brand, requests[request], 40);
      issued[request] = { ...issued[request], [brand]: sent.recipients.map((recipient) => recipient.couponCode) };
    }
    // Enough real codes at each target for the timing rounds below.
    for (const [request, brand] of sends) expect(issued[request]?.[brand]?.length ?? 0).toBeGreaterThanOrEqual(30);
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    await sms?.close();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  // Each principal may try 30 codes a minute; a fresh till every 25 keeps the limit out of the way.
  let attempts = 0;
  async function redeem(requestId: string, code: string): Promise<{ status: number; raw: string; ms: number }> {
    const token = await stack.token({ brand: "pieshop", role: "analyst", subject: `pie-till-${Math.floor(attempts++ / 25)}@invented` });
    const started = performance.now();
    const answer = await postRaw(stack.gatewayUrl, token, { query: REDEEM, variables: { id: requestId, code } });
    return { status: answer.status, raw: answer.raw, ms: performance.now() - started };
  }

  /** Codes a guesser would invent: random ones, typed as customers do, near misses of real codes of either target, others' codes, codes that spell a brand. */
  function inventedCodes(): { shape: string; code: string }[] {
    const random = newCouponCode();
    const teabarCode = issued.both?.teabar?.[0] as string;
    const stylehubCode = issued.both?.stylehub?.[0] as string;
    return [
      { shape: "random", code: newCouponCode() },
      { shape: "typed: lower case in groups", code: `${random.slice(0, 4)}-${random.slice(4, 8)}-${random.slice(8)}`.toLowerCase() },
      { shape: "typed: look-alikes", code: random.replace(/0/g, "O").replace(/1/g, "l") },
      { shape: "one off a real teabar code", code: nearMiss(teabarCode) },
      { shape: "one off a real stylehub code", code: nearMiss(stylehubCode) },
      { shape: "teabar's code of its own request", code: issued.teabar?.teabar?.[0] as string },
      { shape: "stylehub's code of its own request", code: issued.stylehub?.stylehub?.[0] as string },
      { shape: "spelling teabar", code: "TEABAR0000000" },
      { shape: "spelling stylehub", code: "STYLEHVB00000" },
      { shape: "all zeros", code: "0000000000000" },
    ];
  }

  it("answers every invented code with the same body, whichever targets the request names and whatever the code's shape", async () => {
    const answers: { request: string; shape: string; status: number; raw: string }[] = [];
    for (const request of ["both", "teabar", "stylehub"] as const) {
      for (const { shape, code } of inventedCodes()) {
        // A code of the very request it is redeemed at is not invented: skip teabar's own at its own request.
        if ((request === "teabar" && shape === "teabar's code of its own request") || (request === "stylehub" && shape === "stylehub's code of its own request")) continue;
        const answer = await redeem(requests[request], code);
        answers.push({ request, shape, status: answer.status, raw: answer.raw });
      }
    }
    expect(answers.length).toBe(28);
    expect(answers.map(({ request, shape, status, raw }) => ({ request, shape, status, raw }))).toEqual(answers.map(({ request, shape }) => ({ request, shape, status: 200, raw: UNKNOWN })));
    // Nothing was counted anywhere.
    for (const brand of ["teabar", "stylehub"]) expect(await stack.sql(brand, "SELECT 1 FROM outreach_recipients WHERE redeemed_at IS NOT NULL")).toEqual([]);
  });

  it("refuses malformed codes and others' requests with one message each, whatever the code and the request", async () => {
    const malformed = ["TEABAR", "STYLEHUB00000", `${newCouponCode()}7`, "", "' OR 1=1 --", "teabar-code-1"];
    const bodies = new Set<string>();
    for (const request of Object.values(requests)) for (const code of malformed) bodies.add((await redeem(request, code)).raw);
    expect([...bodies].map((raw) => JSON.parse(raw))).toEqual([
      { data: null, errors: [{ message: "Not a coupon code: 13 characters of Crockford base32.", path: ["redeemCoupon"], extensions: { code: "BAD_INPUT", details: { fields: [{ field: "code", reason: "MALFORMED_CODE" }] } } }] },
    ]);
    // A request that does not exist and one pieshop did not make read alike, with a real code or an invented one.
    const strangers = await stack.ask<{ createOutreachRequest: { id: string } }>({ brand: "stylehub", role: "analyst" }, "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id } }", {
      input: { targetBrandIds: ["teabar"], expression: "age:25-34", channel: "SMS", message: "StyleHub: {{coupon}}", purpose: "Welcome", expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
    });
    const notFound = new Set<string>();
    for (const id of ["00000000-0000-4000-8000-000000000000", strangers.data?.createOutreachRequest.id as string, "not-a-uuid"]) {
      for (const code of [newCouponCode(), issued.both?.teabar?.[1] as string]) notFound.add((await redeem(id, code)).raw);
    }
    expect([...notFound].map((raw) => JSON.parse(raw).errors?.[0]?.extensions?.code)).toEqual(["NOT_FOUND"]);
    expect(notFound.size).toBe(1);
  });

  it("takes about as long for an invented code whichever request it is tried at, and for a real code whichever target issued it", async () => {
    const times: Record<string, number[]> = { both: [], teabar: [], stylehub: [], "real teabar": [], "real stylehub": [] };
    // Interleaved, so the machine's load falls on each kind alike.
    for (let round = 0; round < 20; round++) {
      for (const request of ["both", "teabar", "stylehub"] as const) times[request]?.push((await redeem(requests[request], newCouponCode())).ms);
      times["real teabar"]?.push((await redeem(requests.both, issued.both?.teabar?.[round + 2] as string)).ms);
      times["real stylehub"]?.push((await redeem(requests.both, issued.both?.stylehub?.[round + 2] as string)).ms);
    }
    const medians = Object.fromEntries(Object.entries(times).map(([kind, ms]) => [kind, median(ms)]));
    // Roughly: within 25 ms or 40% of the slower median (a loaded two-core machine shares these
    // processes). Measured once: invented codes 42 ms at both targets, 31 and 28 ms at one (the
    // requester knows how many targets it asked); real codes 44 ms from teabar, 43 from stylehub.
    const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(25, 0.4 * Math.max(a, b));
    expect({ medians, close: close(medians.both as number, medians.teabar as number) && close(medians.both as number, medians.stylehub as number) }).toMatchObject({ close: true });
    expect({ medians, close: close(medians["real teabar"] as number, medians["real stylehub"] as number) }).toMatchObject({ close: true });
  });

  it("never names a target, in the answers nor in the coordinator's log of the attempts pieshop's auditor can read", async () => {
    const answers: string[] = [];
    for (const { code } of inventedCodes()) answers.push((await redeem(requests.both, code)).raw);
    for (const raw of answers) for (const name of BRAND_NAMES) expect(raw).not.toContain(name);
    const logged = await stack.sql<{ payload: Record<string, unknown>; subject: Record<string, unknown> }>(
      "coordinator",
      "SELECT payload, subject FROM audit_events WHERE type LIKE 'outreach.coupon_%' AND actor->>'brand' = 'pieshop'",
    );
    expect(logged.length).toBeGreaterThan(60);
    // Only the requester and the reason: no owner, target or code.
    expect(new Set(logged.map((row) => Object.keys(row.payload).sort().join(",")))).toEqual(new Set(["reason,requester", "requester"]));
    for (const row of logged) for (const name of ["teabar", "stylehub"]) expect(JSON.stringify(row)).not.toContain(name);
  });
});

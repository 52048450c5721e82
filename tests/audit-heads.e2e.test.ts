import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlRequest } from "@brandpool/stack";
import type { DevTokenClaims } from "@brandpool/stack";
import { generateSigningKeyPair, importPrivateKey, mintNodeClientToken, signAuditHead } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { cutTailAfter, rehashTailFrom } from "./support/audit-tamper.js";
import { ESTIMATES, PLATFORM_AUDITOR, analyst, auditor, codes } from "./support/auditors.js";

// DESIGN.md invariant 5 and issue 8 item 7: nodes push signed chain heads that the coordinator
// records in its own chain, so neither a rewritten nor a cut tail of a node's log goes unnoticed,
// online (verifyAuditChain) or offline (audit:export, audit:verify --heads).

const run = promisify(execFile);
const VERIFY_CLI = "packages/audit-chain/dist/cli.js";
const EXPORT_CLI = "packages/audit-chain/dist/export-cli.js";

const VERIFY_NODE = "query($id: ID!) { brand(id: $id) { verifyAuditChain { ok checked firstBrokenEventId headsChecked } } }";
const RECORD_HEAD = "mutation($head: String!) { recordAuditHead(head: $head) { brandId sequence hash recorded } }";

interface Verification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  headsChecked: number | null;
}
interface Head {
  seq: number;
  hash: string;
  event_id: string;
}

describe("signed chain heads", () => {
  let stack: TestStack;
  let workDir: string;
  beforeAll(async () => {
    stack = await startTestStack();
    workDir = await mkdtemp(join(tmpdir(), "brandpool-heads-"));
    for (const [who, owner, expression] of ESTIMATES) {
      const answer = await stack.ask(analyst(who), `{ brand(id: "${owner}") { audienceEstimate(expression: "${expression}", channel: SMS) { count } } }`);
      expect(answer.errors).toEqual([]);
    }
  });
  afterAll(async () => {
    await stack?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const headsOf = (brandId: string) =>
    stack.sql<Head>(
      "coordinator",
      "SELECT (payload->>'seq')::int AS seq, payload->>'hash' AS hash, payload->>'eventId' AS event_id FROM audit_events WHERE type = 'audit.head_recorded' AND subject->>'brand' = $1 ORDER BY seq",
      [brandId],
    );
  const nodeHead = async (brandId: string) => {
    const [row] = await stack.sql<{ seq: number; hash: string; id: string }>(brandId, "SELECT seq::int AS seq, hash, id::text AS id FROM audit_events ORDER BY seq DESC LIMIT 1");
    if (!row) throw new Error(`${brandId} has an empty log`);
    return row;
  };
  /** Waits until the coordinator recorded the node's current head. */
  const headRecorded = (brandId: string) =>
    eventually(async () => {
      const head = await nodeHead(brandId);
      const recorded = await headsOf(brandId);
      return recorded.some((row) => row.seq === head.seq && row.hash === head.hash) ? head : undefined;
    });
  const verifyNode = async (claims: DevTokenClaims, brandId: string) => {
    const answer = await stack.ask<{ brand: { verifyAuditChain: Verification } | null }>(claims, VERIFY_NODE, { id: brandId });
    expect(answer.errors).toEqual([]);
    return answer.data?.brand?.verifyAuditChain;
  };
  const nodeKey = (brandId: string): PrivateJwk => {
    const key = stack.keys.nodes[brandId]?.key;
    if (!key) throw new Error(`no key for ${brandId}`);
    return key;
  };
  /** A head pushed through the gateway as `pusher`'s node, signed with `key` (a node's own, or not). */
  const pushHead = async (pusher: string, key: PrivateJwk, head: { brand: string; seq: number; hash: string; eventId: string }) => {
    const jws = await signAuditHead(await importPrivateKey(key), key.kid ?? "k", { ...head, signedAt: new Date().toISOString() });
    const token = await mintNodeClientToken(await importPrivateKey(nodeKey(pusher)), nodeKey(pusher).kid ?? "node", pusher);
    return graphqlRequest<{ recordAuditHead: { recorded: boolean; sequence: number } }>(stack.gatewayUrl, RECORD_HEAD, { token, variables: { head: jws } });
  };
  /** An auditor's export through the gateway with `npm run audit:export`'s script. */
  const exportAs = async (claims: DevTokenClaims, brandId: string | null) => {
    const token = await stack.token(claims);
    const args = [EXPORT_CLI, "--token", token, "--gateway", stack.gatewayUrl, ...(brandId ? ["--brand", brandId] : [])];
    return (await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  };

  it("records each node's signed heads in the platform chain, and an auditor verifies both chains against them", async () => {
    const head = await headRecorded("teabar");
    const [recorded] = await stack.sql<{ actor: unknown; payload: Record<string, unknown> }>(
      "coordinator",
      "SELECT actor, payload FROM audit_events WHERE type = 'audit.head_recorded' AND subject->>'brand' = 'teabar' AND (payload->>'seq')::int = $1",
      [head.seq],
    );
    expect(recorded?.actor).toEqual({ kind: "node", brand: "teabar" });
    expect(recorded?.payload).toMatchObject({ seq: head.seq, hash: head.hash, eventId: head.id, signature: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });

    const platform = await stack.ask<{ verifyAuditChain: Verification }>(PLATFORM_AUDITOR, "{ verifyAuditChain { ok firstBrokenEventId } }");
    expect(platform.data?.verifyAuditChain).toEqual({ ok: true, firstBrokenEventId: null });
    for (const claims of [auditor("teabar"), PLATFORM_AUDITOR]) {
      const result = await verifyNode(claims, "teabar");
      expect(result).toMatchObject({ ok: true, firstBrokenEventId: null });
      expect(result?.headsChecked).toBeGreaterThanOrEqual(1);
    }
  });


  it("refuses a forged head: another key, another brand's node, a person", async () => {
    const head = await headRecorded("teabar");
    const before = await headsOf("teabar");
    const forged = { brand: "teabar", seq: head.seq + 1000, hash: "f".repeat(64), eventId: randomUUID() };

    const stranger = await generateSigningKeyPair();
    const wrongKey = await pushHead("teabar", stranger.privateJwk, forged);
    expect(codes(wrongKey)).toEqual(["BAD_INPUT"]);
    expect(wrongKey.errors[0]?.extensions?.details).toMatchObject({ reason: "BAD_SIGNATURE" });
    // pieshop's node signing with its own key a head that claims to be teabar's.
    const otherBrand = await pushHead("pieshop", nodeKey("pieshop"), forged);
    expect(codes(otherBrand)).toEqual(["FORBIDDEN"]);
    // teabar's own signature, pushed by pieshop's node: checked against pieshop's key, refused.
    const relayed = await pushHead("pieshop", nodeKey("teabar"), forged);
    expect(codes(relayed)).toEqual(["BAD_INPUT"]);
    // A person cannot push a head at all (the gateway's Cedar check).
    const jws = await signAuditHead(await importPrivateKey(nodeKey("teabar")), "k", { ...forged, signedAt: new Date().toISOString() });
    expect(codes(await stack.ask(auditor("teabar"), RECORD_HEAD, { head: jws }))).toEqual(["FORBIDDEN"]);

    // Nothing of the forged head was recorded; whatever teabar's node pushed meanwhile matches its chain.
    const after = await headsOf("teabar");
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.filter((row) => row.seq === forged.seq || row.hash === forged.hash)).toEqual([]);
    expect(await verifyNode(PLATFORM_AUDITOR, "teabar")).toMatchObject({ ok: true });
  });

  it("refuses a head that goes backwards or contradicts one recorded, and accepts a repeat once", async () => {
    // stylehub's node is stopped, so only this test pushes its heads (signed with its own key).
    await headRecorded("stylehub");
    await stack.nodes.get("stylehub")?.stop();
    const [latest] = (await headsOf("stylehub")).slice(-1);
    if (!latest) throw new Error("no head of stylehub");
    // Everything but the other nodes' heads, which keep arriving on their own.
    const countEvents = async () =>
      (await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events WHERE NOT (type = 'audit.head_recorded' AND subject->>'brand' <> 'stylehub')"))[0]?.n;
    const eventCount = await countEvents();

    const repeat = await pushHead("stylehub", nodeKey("stylehub"), { brand: "stylehub", seq: latest.seq, hash: latest.hash, eventId: latest.event_id });
    expect(repeat.errors).toEqual([]);
    expect(repeat.data?.recordAuditHead).toMatchObject({ recorded: false, sequence: latest.seq });
    const contradicting = await pushHead("stylehub", nodeKey("stylehub"), { brand: "stylehub", seq: latest.seq, hash: "0".repeat(64), eventId: latest.event_id });
    expect(codes(contradicting)).toEqual(["CONFLICT"]);
    expect(contradicting.errors[0]?.extensions?.details).toMatchObject({ reason: "HEAD_CONTRADICTS" });
    expect(await countEvents()).toBe(eventCount);

    // A head ahead of the chain, signed with the node's own key, is the node's word: recorded.
    const ahead = { brand: "stylehub", seq: latest.seq + 2, hash: "2".repeat(64), eventId: randomUUID() };
    expect((await pushHead("stylehub", nodeKey("stylehub"), ahead)).data?.recordAuditHead).toMatchObject({ recorded: true, sequence: ahead.seq });
    // Behind it, at a seq never recorded: refused.
    const behind = await pushHead("stylehub", nodeKey("stylehub"), { brand: "stylehub", seq: latest.seq + 1, hash: "1".repeat(64), eventId: randomUUID() });
    expect(codes(behind)).toEqual(["CONFLICT"]);
    expect(behind.errors[0]?.extensions?.details).toMatchObject({ reason: "HEAD_BEHIND" });
    expect(await countEvents()).toBe((eventCount ?? 0) + 1);
    await stack.restartNode("stylehub");
    // The node's chain does not hold the head it was made to sign: its verification names that head's event.
    expect(await verifyNode(PLATFORM_AUDITOR, "stylehub")).toMatchObject({ ok: false, firstBrokenEventId: ahead.eventId });
  });

  it("catches a node's tail that a superuser rewrote and rehashed, by the heads recorded at the coordinator, online and offline", async () => {
    const [estimate] = await stack.sql<{ seq: number; id: string }>("teabar", "SELECT seq::int AS seq, id::text AS id FROM audit_events WHERE type = 'estimate.answered' ORDER BY seq LIMIT 1");
    if (!estimate) throw new Error("no estimate at teabar");
    await headRecorded("teabar");
    await stack.nodes.get("teabar")?.stop();
    const heads = await headsOf("teabar");
    // The event the verification must name: the one at the first recorded head at or after the rewrite.
    const firstPinned = heads.find((row) => row.seq >= estimate.seq);
    if (!firstPinned) throw new Error("no head pins the estimate");
    await rehashTailFrom(stack, "teabar", estimate.seq, (payload) => ({ ...payload, exact: 0 }));
    const [pinnedNow] = await stack.sql<{ id: string }>("teabar", "SELECT id::text AS id FROM audit_events WHERE seq = $1", [firstPinned.seq]);
    await stack.restartNode("teabar");

    // Link by link the rewritten chain is whole: only the heads show it.
    const nodeFile = join(workDir, "teabar.ndjson");
    const coordinatorFile = join(workDir, "coordinator.ndjson");
    await writeFile(nodeFile, await exportAs(auditor("teabar"), "teabar"));
    await writeFile(coordinatorFile, await exportAs(PLATFORM_AUDITOR, null));
    expect((await run(process.execPath, [VERIFY_CLI, nodeFile])).stdout).toMatch(/^ok: \d+ events\n$/);
    const offline = await run(process.execPath, [VERIFY_CLI, nodeFile, "--heads", coordinatorFile, "--brand", "teabar"]).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(offline.code).toBe(1);
    expect(offline.stdout.trim()).toBe(`broken at event ${pinnedNow?.id} (contradicts the head recorded at seq ${firstPinned.seq})`);

    for (const claims of [auditor("teabar"), PLATFORM_AUDITOR]) {
      expect(await verifyNode(claims, "teabar")).toMatchObject({ ok: false, firstBrokenEventId: pinnedNow?.id });
    }
    // The node's own push of its rewritten head is refused where it contradicts a recorded one.
    expect((await headsOf("teabar")).find((row) => row.seq === firstPinned.seq)?.hash).toBe(firstPinned.hash);
  });

  it("catches a node's tail that a superuser cut, by the head recorded at the coordinator", async () => {
    const head = await headRecorded("pieshop");
    await stack.nodes.get("pieshop")?.stop();
    const keep = head.seq - 2;
    await cutTailAfter(stack, "pieshop", keep);
    const firstCut = (await headsOf("pieshop")).find((row) => row.seq > keep);
    if (!firstCut) throw new Error("no head after the cut");
    await stack.restartNode("pieshop");
    const result = await verifyNode(auditor("pieshop"), "pieshop");
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: firstCut.event_id });
    // The chain that is left still links up: it is the recorded head that names the missing event.
    expect(result?.checked).toBeGreaterThanOrEqual(keep);
  });

});

import { randomUUID } from "node:crypto";
import * as jose from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { graphqlRequest } from "@brandpool/stack";
import { GATEWAY_ISSUER, generateSigningKeyPair, importPrivateKey, mintForwardedToken, mintNodeClientToken } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { secretFinder } from "./support/secret-finder.js";
import { signToken } from "./support/hand-made-tokens.js";

// Invariant 4 at the services: a node answers only a token that the gateway minted for that very
// node (60 seconds, trusted key, its audience) and runs Cedar again on whatever it is asked; a
// node calling the gateway is known by its own registered key and speaks only for its own brand.

const PIESHOP_ANALYST: ForwardedCaller = { kind: "user", subject: "pie-analyst@test", brand: "pieshop", role: "analyst", tokenId: "t-1" };
const WRITE = 'mutation { tagMembers(tag: "interest:tea", expression: "interest:coffee") { affected } }';
const UNTAG = 'mutation { untagMembers(tag: "interest:tea", expression: "interest:tea") { affected } }';
const RECORD = "mutation($events: [NodeEventInput!]!) { recordNodeEvents(events: $events) { recorded } }";
const RECORD_OUTCOMES = "mutation($events: [NodeEventInput!]!) { recordNodeEvents(events: $events) { recorded outcomes { id status reason message } } }";
const GATEWAY_DENIAL = "mutation($input: GatewayDenialInput!) { recordGatewayDenial(input: $input) }";

describe("tokens between the gateway and the services", () => {
  let stack: TestStack;
  let gatewayKey: jose.CryptoKey;
  let gatewayKid: string;

  const nodeUrl = (brandId: string) => stack.nodes.get(brandId)?.url ?? "";
  const fingerprint = async (brandId: string) =>
    (await stack.sql<{ f: string }>(brandId, "SELECT md5(string_agg(id::text || tag_ids::text, ',' ORDER BY seq)) AS f FROM members"))[0]?.f;
  const forwarded = (audience: string, caller: ForwardedCaller = PIESHOP_ANALYST) => mintForwardedToken(gatewayKey, gatewayKid, audience, caller);
  const nodeToken = async (signedWith: string, kidOf: string, claimedBrand: string) => {
    const keys = stack.keys.nodes;
    return mintNodeClientToken(await importPrivateKey(keys[signedWith]?.key ?? missing(signedWith)), keys[kidOf]?.key.kid ?? "node", claimedBrand);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    gatewayKey = await importPrivateKey(stack.keys.gateway);
    gatewayKid = stack.keys.gateway.kid ?? "gateway";
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe("a node called directly, behind the gateway's back", () => {
    it("answers a token the gateway minted for it", async () => {
      const result = await graphqlRequest<{ members: { totalCount: number } }>(nodeUrl("pieshop"), "{ members(first: 1) { totalCount } }", {
        token: await forwarded("node:pieshop"),
      });
      expect(result.status).toBe(200);
      expect(result.data?.members.totalCount).toBe(2_000);
    });

    it("refuses with 401 a call without a valid gateway token for this node, and changes nothing", async () => {
      const impostor = await generateSigningKeyPair();
      const impostorKey = await importPrivateKey(impostor.privateJwk);
      // Minted five minutes ago: its 60 seconds are long over.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() - 5 * 60_000);
      const expired = await forwarded("node:pieshop");
      vi.useRealTimers();
      const untyped = await new jose.SignJWT({ bp: PIESHOP_ANALYST })
        .setProtectedHeader({ alg: "EdDSA", kid: gatewayKid })
        .setIssuer(GATEWAY_ISSUER)
        .setAudience("node:pieshop")
        .setSubject(PIESHOP_ANALYST.subject)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime("60s")
        .sign(gatewayKey);
      const attempts: { what: string; token?: string }[] = [
        { what: "no token" },
        { what: "a gateway token for node:teabar", token: await forwarded("node:teabar") },
        { what: "a gateway token for the coordinator", token: await forwarded("coordinator") },
        { what: "right claims signed by a fresh Ed25519 key under the gateway's kid", token: await mintForwardedToken(impostorKey, gatewayKid, "node:pieshop", PIESHOP_ANALYST) },
        { what: "right claims signed by a fresh Ed25519 key under its own kid", token: await mintForwardedToken(impostorKey, impostor.privateJwk.kid ?? "x", "node:pieshop", PIESHOP_ANALYST) },
        { what: "an expired gateway token", token: expired },
        { what: "a gateway-signed token without the forwarded-token type", token: untyped },
        { what: "the caller's own JWT, as the gateway would accept it", token: await stack.token({ brand: "pieshop", role: "analyst" }) },
        { what: "pieshop's node key token, meant for the gateway", token: await nodeToken("pieshop", "pieshop", "pieshop") },
      ];
      const before = await fingerprint("pieshop");
      const answers = [];
      for (const { what, token } of attempts) {
        const result = await graphqlRequest(nodeUrl("pieshop"), WRITE, token ? { token } : {});
        answers.push({ what, status: result.status, codes: result.errors.map((error) => error.extensions?.code), data: result.data });
      }
      expect(answers).toEqual(attempts.map(({ what }) => ({ what, status: 401, codes: ["UNAUTHENTICATED"], data: null })));
      expect(await fingerprint("pieshop")).toBe(before);
    });

    it("accepts a gateway token once: the same token sent again is refused with 401 and changes nothing", async () => {
      const token = await forwarded("node:pieshop");
      const first = await graphqlRequest<{ members: { totalCount: number } }>(nodeUrl("pieshop"), "{ members(first: 1) { totalCount } }", { token });
      expect([first.status, first.errors, first.data?.members.totalCount]).toEqual([200, [], 2_000]);
      const before = await fingerprint("pieshop");
      // Replayed as it was, and replayed carrying a write it was never minted for.
      const again = await graphqlRequest(nodeUrl("pieshop"), "{ members(first: 1) { totalCount } }", { token });
      const replayedWrite = await graphqlRequest(nodeUrl("pieshop"), UNTAG, { token });
      for (const result of [again, replayedWrite]) {
        expect([result.status, result.errors.map((error) => error.extensions?.code), result.data]).toEqual([401, ["UNAUTHENTICATED"], null]);
      }
      expect(await fingerprint("pieshop")).toBe(before);
      // The detector works: the same write with a fresh token does change pieshop's members.
      const fresh = await graphqlRequest<{ untagMembers: { affected: number } }>(nodeUrl("pieshop"), UNTAG, { token: await forwarded("node:pieshop") });
      expect(fresh.errors).toEqual([]);
      expect(fresh.data?.untagMembers.affected).toBeGreaterThan(0);
      expect(await fingerprint("pieshop")).not.toBe(before);
    });

    it("refuses a pieshop analyst's genuine teabar token at teabar's own Cedar check, and teabar logs the denial", async () => {
      const subject = `pie-analyst-direct-${randomUUID()}@test`;
      const caller: ForwardedCaller = { ...PIESHOP_ANALYST, subject };
      const phones = await stack.sql<{ phone: string }>("teabar", "SELECT phone FROM members WHERE phone IS NOT NULL");
      const denialsAtTeabar = () =>
        stack.sql("teabar", "SELECT payload FROM audit_events WHERE type = 'policy.denied' AND actor->>'subject' = $1 AND payload->>'action' = 'ListMembers'", [subject]);
      expect(await denialsAtTeabar()).toEqual([]);

      const result = await graphqlRequest(nodeUrl("teabar"), "{ members(first: 100) { totalCount edges { node { id name phone email } } } }", {
        token: await forwarded("node:teabar", caller),
      });
      expect(result.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(result.data).toBeNull();
      expect(secretFinder(phones.map((row) => row.phone))(result.raw)).toEqual([]);
      const denials = await eventually(async () => {
        const rows = await denialsAtTeabar();
        return rows.length > 0 ? rows : undefined;
      });
      expect(denials).toHaveLength(1);
    });
  });

  describe("a node calling the gateway as node:<brand>", () => {
    it("reads the taxonomy with a token signed by its own registered key", async () => {
      const result = await stack.ask<{ viewer: { kind: string; brandId: string }; tags: { key: string }[] }>(
        await nodeToken("pieshop", "pieshop", "pieshop"),
        "{ viewer { kind brandId } tags { key } }",
      );
      expect(result.errors).toEqual([]);
      expect(result.data?.viewer).toEqual({ kind: "node", brandId: "pieshop" });
      expect(result.data?.tags.map((tag) => tag.key)).toContain("interest:tea");
    });

    it("refuses a node:pieshop token that lives longer than five minutes, however genuine, and accepts one of five minutes", async () => {
      const pieshopKey = stack.keys.nodes.pieshop?.key ?? missing("pieshop");
      const now = Math.floor(Date.now() / 1000);
      const nodeClaims = (times: { iat?: number; exp: number }) => ({ iss: "node:pieshop", sub: "node:pieshop", aud: "brandpool", brand: "pieshop", jti: randomUUID(), ...times });
      const attempts = [
        { what: "a hundred years to live", claims: nodeClaims({ iat: now, exp: now + 100 * 365 * 86_400 }) },
        { what: "five minutes and a second", claims: nodeClaims({ iat: now, exp: now + 301 }) },
        { what: "no iat", claims: nodeClaims({ exp: now + 60 }) },
        { what: "issued an hour ahead", claims: nodeClaims({ iat: now + 3_600, exp: now + 3_660 }) },
      ];
      const answers = [];
      for (const { what, claims } of attempts) {
        const result = await stack.ask(await signToken(pieshopKey, claims), "{ tags { key } }");
        answers.push({ what, status: result.status, codes: result.errors.map((error) => error.extensions?.code), data: result.data });
      }
      expect(answers).toEqual(attempts.map(({ what }) => ({ what, status: 401, codes: ["UNAUTHENTICATED"], data: null })));
      const fiveMinutes = await stack.ask<{ viewer: { brandId: string } }>(await signToken(pieshopKey, nodeClaims({ iat: now, exp: now + 300 })), "{ viewer { brandId } }");
      expect([fiveMinutes.status, fiveMinutes.errors, fiveMinutes.data?.viewer.brandId]).toEqual([200, [], "pieshop"]);
    });

    it.each([
      { what: "teabar's key under pieshop's kid", signedWith: "teabar", kidOf: "pieshop" },
      { what: "teabar's key under its own kid", signedWith: "teabar", kidOf: "teabar" },
    ])("refuses node:pieshop claims signed with $what as UNAUTHENTICATED", async ({ signedWith, kidOf }) => {
      const result = await stack.ask(await nodeToken(signedWith, kidOf, "pieshop"), "{ tags { key } }");
      expect([result.status, result.errors.map((error) => error.extensions?.code), result.data]).toEqual([401, ["UNAUTHENTICATED"], null]);
    });

    it("does not hand a node its own brand's members", async () => {
      const result = await stack.ask(await nodeToken("pieshop", "pieshop", "pieshop"), "{ members(first: 5) { totalCount edges { node { phone } } } }");
      expect(result.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(result.data).toBeNull();
    });

    it("refuses node:pieshop an event about teabar, and records nothing", async () => {
      const id = randomUUID();
      const recorded = async () => ({
        events: await stack.sql("coordinator", "SELECT seq FROM audit_events WHERE payload->>'nodeEventId' = $1", [id]),
        receipts: await stack.sql("coordinator", "SELECT id FROM node_event_receipts WHERE id = $1", [id]),
      });
      expect(await recorded()).toEqual({ events: [], receipts: [] });
      const events = [{ id, type: "estimate.answered", payload: { owner: "teabar", requester: "pieshop", noisy: 120 } }];
      // Refused on its own (a bad event does not fail the push it came in), with a stable reason.
      const result = await stack.ask(await nodeToken("pieshop", "pieshop", "pieshop"), RECORD_OUTCOMES, { events });
      expect(result.errors).toEqual([]);
      expect(result.data).toEqual({
        recordNodeEvents: { recorded: 0, outcomes: [{ id, status: "REFUSED", reason: "OTHER_BRAND", message: "A node records events only about its own brand." }] },
      });
      // A pieshop admin is not a node either.
      const asAdmin = await stack.ask({ brand: "pieshop", role: "admin" }, RECORD, { events: [{ ...events[0], payload: { owner: "pieshop" } }] });
      expect(asAdmin.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(await recorded()).toEqual({ events: [], receipts: [] });
    });

    it("records node:pieshop's event about pieshop, under pieshop whatever its payload says", async () => {
      const id = randomUUID();
      const events = [{ id, type: "estimate.answered", payload: { owner: "pieshop", subject: { kind: "brand", brand: "teabar" }, noisy: 120 } }];
      const result = await stack.ask<{ recordNodeEvents: { recorded: number } }>(await nodeToken("pieshop", "pieshop", "pieshop"), RECORD, { events });
      expect(result.errors).toEqual([]);
      expect(result.data?.recordNodeEvents.recorded).toBe(1);
      const rows = await stack.sql<{ type: string; actor: unknown; subject: unknown }>(
        "coordinator",
        "SELECT type, actor, subject FROM audit_events WHERE payload->>'nodeEventId' = $1",
        [id],
      );
      expect(rows).toEqual([{ type: "node.estimate.answered", actor: { kind: "node", brand: "pieshop" }, subject: { kind: "brand", brand: "pieshop" } }]);
    });
  });
});

describe("recording gateway denials in a node's log", () => {
  let stack: TestStack;
  const forgedAtPieshop = async () =>
    (await stack.sql<{ n: number }>("pieshop", "SELECT count(*)::int AS n FROM audit_events WHERE actor->>'subject' = 'someone-else'"))[0]?.n;

  beforeAll(async () => {
    stack = await startTestStack({ brands: [{ id: "pieshop", name: "PaiPai Pie Shop" }], members: 100 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses anyone but the gateway itself, through the gateway or straight at the node, and logs nothing forged", async () => {
    const input = { action: "ListMembers", actor: { kind: "user", subject: "someone-else", role: "analyst", brand: "teabar" } };
    expect(await forgedAtPieshop()).toBe(0);
    // Tried: pieshop's own node (whose brand the policy lets record events), its analyst and admin.
    const pieshopKey = stack.keys.nodes.pieshop?.key ?? missing("pieshop");
    const asNode = await stack.ask(await mintNodeClientToken(await importPrivateKey(pieshopKey), pieshopKey.kid ?? "node", "pieshop"), GATEWAY_DENIAL, { input });
    const asAnalyst = await stack.ask({ brand: "pieshop", role: "analyst" }, GATEWAY_DENIAL, { input });
    const asAdmin = await stack.ask({ brand: "pieshop", role: "admin" }, GATEWAY_DENIAL, { input });
    for (const result of [asNode, asAnalyst, asAdmin]) expect(result.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    // A pieshop analyst's token forwarded straight to the node, as a gateway would mint it.
    const gatewayKey = await importPrivateKey(stack.keys.gateway);
    const forwarded = await mintForwardedToken(gatewayKey, stack.keys.gateway.kid ?? "gateway", "node:pieshop", PIESHOP_ANALYST);
    const direct = await graphqlRequest(stack.nodes.get("pieshop")?.url ?? "", GATEWAY_DENIAL, { token: forwarded, variables: { input } });
    expect(direct.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(await forgedAtPieshop()).toBe(0);
    // What pieshop's log does get is the gateway's own report of the analyst's denied attempt.
    await eventually(async () => {
      const rows = await stack.sql("pieshop", "SELECT 1 FROM audit_events WHERE payload->>'decidedBy' = 'gateway' AND payload->>'action' = 'RecordEvent' AND actor->>'role' = 'analyst'");
      return rows.length > 0 ? true : undefined;
    });
    expect(await forgedAtPieshop()).toBe(0);
  });

  it("records the gateway's own report, keeping only who was denied", async () => {
    const gatewayKey = await importPrivateKey(stack.keys.gateway);
    const asGateway = await mintForwardedToken(gatewayKey, stack.keys.gateway.kid ?? "gateway", "node:pieshop", { kind: "gateway", subject: "gateway", tokenId: "g-1" });
    const input = { action: "EstimateAudience", actor: { kind: "user", subject: "tea-analyst@test", role: "analyst", brand: "teabar", phone: "+8613800000000" } };
    const result = await graphqlRequest(stack.nodes.get("pieshop")?.url ?? "", GATEWAY_DENIAL, { token: asGateway, variables: { input } });
    expect(result.errors).toEqual([]);
    const rows = await stack.sql<{ actor: unknown; payload: unknown }>("pieshop", "SELECT actor, payload FROM audit_events WHERE payload->>'decidedBy' = 'gateway' ORDER BY seq DESC LIMIT 1");
    // Anything but kind, subject, role and brand is dropped: a report cannot smuggle data into the log.
    expect(rows).toEqual([{ actor: { kind: "user", subject: "tea-analyst@test", role: "analyst", brand: "teabar" }, payload: { action: "EstimateAudience", decision: "deny", decidedBy: "gateway" } }]);
    const again = await mintForwardedToken(gatewayKey, stack.keys.gateway.kid ?? "gateway", "node:pieshop", { kind: "gateway", subject: "gateway", tokenId: "g-2" });
    const unknown = await graphqlRequest(stack.nodes.get("pieshop")?.url ?? "", GATEWAY_DENIAL, { token: again, variables: { input: { ...input, action: "DropTables" } } });
    expect(unknown.errors.map((error) => error.extensions?.code)).toEqual(["BAD_INPUT"]);
  });
});

function missing(brandId: string): never {
  throw new Error(`no node key for ${brandId}`);
}

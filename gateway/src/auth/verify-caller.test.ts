import { describe, expect, it, vi } from "vitest";
import { generateSigningKeyPair, importPrivateKey, mintCallerToken } from "@brandpool/tokens";
import type { BrandRoute } from "../routing/routing-table.js";
import { VerifiedTokens } from "./verified-tokens.js";
import { callerVerifier } from "./verify-caller.js";

const ISSUER = "https://id.pieshop.example";

async function setup(ttlSeconds = 600) {
  const pair = await generateSigningKeyPair();
  const other = await generateSigningKeyPair();
  let route: BrandRoute = {
    id: "pieshop",
    nodeUrl: "http://pieshop.invalid/graphql",
    admitted: true,
    issuer: ISSUER,
    issuerKeys: { keys: [pair.publicJwk] },
    nodeKey: other.publicJwk,
  } as BrandRoute;
  const verified = new VerifiedTokens();
  const verify = callerVerifier({
    route: async () => route,
    platformIssuer: "platform",
    platformKeys: { keys: [other.publicJwk] },
    dev: false,
    maxLifetimeSeconds: 3_600,
    verified,
  });
  const token = await mintCallerToken(await importPrivateKey(pair.privateJwk), pair.privateJwk.kid ?? "k", { issuer: ISSUER, subject: "ana", role: "analyst", brand: "pieshop", ttlSeconds });
  return { verify, token, verified, other, setRoute: (next: Partial<BrandRoute>) => (route = { ...route, ...next }) };
}

describe("callerVerifier with remembered verifications", () => {
  it("remembers a token that verified and answers a repeat with the same caller", async () => {
    const { verify, token, verified } = await setup();
    const first = await verify(token);
    expect(verified.size).toBe(1);
    expect(await verify(token)).toEqual(first);
    expect(first.principal).toEqual({ kind: "user", subject: "ana", role: "analyst", brand: { id: "pieshop", admitted: true } });
  });

  it("reads the routing table again on a repeat: a suspended brand's principal is not admitted", async () => {
    const { verify, token, setRoute } = await setup();
    await verify(token);
    setRoute({ admitted: false });
    expect((await verify(token)).principal).toMatchObject({ brand: { id: "pieshop", admitted: false } });
  });

  it("refuses a remembered token once its issuer's keys no longer hold the key that signed it, or its issuer changed", async () => {
    const { verify, token, setRoute, other } = await setup();
    await verify(token);
    setRoute({ issuerKeys: { keys: [other.publicJwk] } });
    await expect(verify(token)).rejects.toThrow(/signature or claims do not check out/);
    const again = await setup();
    await again.verify(again.token);
    again.setRoute({ issuer: "https://elsewhere.example" });
    await expect(again.verify(again.token)).rejects.toThrow(/issuer is not the one registered/);
  });

  it("refuses a remembered token once it has expired", async () => {
    const { verify, token, verified } = await setup(60);
    await verify(token);
    vi.useFakeTimers({ now: Date.now() + 120_000, toFake: ["Date"] });
    try {
      await expect(verify(token)).rejects.toThrow(/expired/);
      expect(verified.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not remember a token that failed", async () => {
    const { verify, token, verified } = await setup();
    const tampered = `${token.slice(0, -4)}AAAA`;
    await expect(verify(tampered)).rejects.toThrow();
    expect(verified.size).toBe(0);
  });
});

describe("VerifiedTokens", () => {
  it("forgets the oldest entry when full", () => {
    const tokens = new VerifiedTokens(2);
    const payload = { sub: "s", jti: "j" };
    tokens.set("a", "k", "i", payload);
    tokens.set("b", "k", "i", payload);
    tokens.set("c", "k", "i", payload);
    expect([tokens.get("a", "k", "i"), tokens.get("b", "k", "i"), tokens.get("c", "k", "i")]).toEqual([undefined, payload, payload]);
  });
});

import { createPrivateKey, randomUUID, sign } from "node:crypto";
import * as jose from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_ISSUER, forwardedTokenVerifier, mintForwardedToken } from "./forwarded-token.js";
import type { ForwardedCaller } from "./forwarded-token.js";
import { generateSigningKeyPair, importPrivateKey } from "./keys.js";
import type { KeyPair } from "./keys.js";

const CALLER: ForwardedCaller = { kind: "user", subject: "pie-analyst@test", brand: "pieshop", role: "analyst", tokenId: "t-1" };
const AUDIENCE = "node:pieshop";

describe("forwardedTokenVerifier", () => {
  let gateway: KeyPair;
  let key: jose.CryptoKey;
  const mint = () => mintForwardedToken(key, gateway.privateJwk.kid ?? "g", AUDIENCE, CALLER);
  const handMade = (times: { iat: number; exp: number }) =>
    new jose.SignJWT({ bp: CALLER })
      .setProtectedHeader({ alg: "EdDSA", kid: gateway.privateJwk.kid ?? "g", typ: "bp-forwarded+jwt" })
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(CALLER.subject)
      .setJti(randomUUID())
      .setIssuedAt(times.iat)
      .setExpirationTime(times.exp)
      .sign(key);

  beforeAll(async () => {
    gateway = await generateSigningKeyPair();
    key = await importPrivateKey(gateway.privateJwk);
  });

  it("mints what jose verifies, with the claims and header jose's SignJWT would set", async () => {
    const token = await mint();
    const publicKey = await jose.importJWK(gateway.publicJwk, "EdDSA");
    const before = Math.floor(Date.now() / 1000);
    const { payload, protectedHeader } = await jose.jwtVerify(token, publicKey, { algorithms: ["EdDSA"], issuer: GATEWAY_ISSUER, audience: AUDIENCE });
    expect(protectedHeader).toEqual({ alg: "EdDSA", kid: gateway.privateJwk.kid ?? "g", typ: "bp-forwarded+jwt" });
    expect(payload).toMatchObject({ bp: CALLER, sub: CALLER.subject, iss: GATEWAY_ISSUER, aud: AUDIENCE });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(Math.abs(payload.iat! - before)).toBeLessThanOrEqual(1);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    // Each token its own id.
    expect(jose.decodeJwt(await mint()).jti).not.toBe(payload.jti);
  });

  it("refuses to sign with a key that is not an Ed25519 private key (bad input: an ECDSA key, a public key)", async () => {
    const ecdsa = await jose.generateKeyPair("ES256", { extractable: true });
    await expect(mintForwardedToken(ecdsa.privateKey, "k", AUDIENCE, CALLER)).rejects.toThrow(/Ed25519 private key/);
    const ed = await jose.generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    await expect(mintForwardedToken(ed.publicKey, "k", AUDIENCE, CALLER)).rejects.toThrow(/Ed25519 private key/);
  });

  it("accepts a token once and refuses it the second time", async () => {
    const verify = forwardedTokenVerifier({ audience: AUDIENCE, trustedKeys: [gateway.publicJwk] });
    const token = await mint();
    await expect(verify(token)).resolves.toEqual(CALLER);
    await expect(verify(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    // Another token minted for the same caller is a new fetch and goes through.
    await expect(verify(await mint())).resolves.toEqual(CALLER);
  });

  it("still refuses the replay near the end of the token's life, and after it the token is expired anyway", async () => {
    let now = Date.now();
    const verify = forwardedTokenVerifier({ audience: AUDIENCE, trustedKeys: [gateway.publicJwk], now: () => now });
    const token = await mint();
    await verify(token);
    now += 64_000;
    await expect(verify(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    now += 10_000;
    await expect(verify(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("refuses a gateway-signed token that lives longer than 60 seconds or was issued in the future", async () => {
    const verify = forwardedTokenVerifier({ audience: AUDIENCE, trustedKeys: [gateway.publicJwk] });
    const now = Math.floor(Date.now() / 1000);
    await expect(verify(await handMade({ iat: now, exp: now + 3_600 }))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(verify(await handMade({ iat: now + 600, exp: now + 660 }))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(verify(await handMade({ iat: now, exp: now + 60 }))).resolves.toEqual(CALLER);
  });

  it("does not spend a token id on a token whose signature fails", async () => {
    const verify = forwardedTokenVerifier({ audience: AUDIENCE, trustedKeys: [gateway.publicJwk], maxRememberedTokens: 1 });
    const impostor = await generateSigningKeyPair();
    const forged = await mintForwardedToken(await importPrivateKey(impostor.privateJwk), gateway.privateJwk.kid ?? "g", AUDIENCE, CALLER);
    await expect(verify(forged)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(verify(await mint())).resolves.toEqual(CALLER);
  });

  it("fails closed when it holds as many live token ids as it may", async () => {
    const verify = forwardedTokenVerifier({ audience: AUDIENCE, trustedKeys: [gateway.publicJwk], maxRememberedTokens: 2 });
    await verify(await mint());
    await verify(await mint());
    await expect(verify(await mint())).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
  it("refuses every token that is not this service's gateway token, and none of them spends a token id", async () => {
    // maxRememberedTokens 1: a refused token that was remembered would make the good one fail.
    const verify = forwardedTokenVerifier({ audience: AUDIENCE, trustedKeys: [gateway.publicJwk], maxRememberedTokens: 1 });
    const kid = gateway.privateJwk.kid ?? "g";
    const now = Math.floor(Date.now() / 1000);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const claims = { bp: CALLER, iss: GATEWAY_ISSUER, aud: AUDIENCE, sub: CALLER.subject, jti: randomUUID(), iat: now, exp: now + 60 };
    const header = { alg: "EdDSA", kid, typ: "bp-forwarded+jwt" };
    const signed = (h: Record<string, unknown>, c: Record<string, unknown>) => new jose.CompactSign(new TextEncoder().encode(JSON.stringify(c))).setProtectedHeader(h as jose.CompactJWSHeaderParameters).sign(key);
    const privateKey = createPrivateKey({ key: { ...gateway.privateJwk }, format: "jwk" });
    const signedByHand = (h: Record<string, unknown>, c: Record<string, unknown>) => {
      const input = `${b64(h)}.${b64(c)}`;
      return `${input}.${sign(null, Buffer.from(input), privateKey).toString("base64url")}`;
    };
    const good = await signed(header, claims);
    const [goodHeader, goodPayload, goodSignature] = good.split(".") as [string, string, string];
    const without = (name: string) => Object.fromEntries(Object.entries(claims).filter(([claim]) => claim !== name));
    const ecdsa = await jose.generateKeyPair("ES256");
    const bad: Record<string, string> = {
      "empty string": "",
      "one segment": "abc",
      "two segments": `${goodHeader}.${goodPayload}`,
      "four segments": `${good}.${goodSignature}`,
      "alg none, no signature": `${b64({ ...header, alg: "none" })}.${goodPayload}.`,
      "HS256 keyed with the public key": await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: "HS256", kid, typ: "bp-forwarded+jwt" })
        .sign(new TextEncoder().encode(gateway.publicJwk.x)),
      "ES256 under the gateway's kid": await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ ...header, alg: "ES256" }).sign(ecdsa.privateKey),
      "another service's audience": await signed(header, { ...claims, aud: "node:teabar" }),
      "another issuer": await signed(header, { ...claims, iss: "someone-else" }),
      "a caller token's typ": await signed({ ...header, typ: "JWT" }, claims),
      "no typ": await signed({ alg: "EdDSA", kid }, claims),
      "an unknown kid": await signed({ ...header, kid: "not-a-gateway-key" }, claims),
      "no kid": await signed({ alg: "EdDSA", typ: "bp-forwarded+jwt" }, claims),
      "a kid that is not a string": `${b64({ ...header, kid: 7 })}.${goodPayload}.${goodSignature}`,
      // jose refuses to sign an extension it does not know, so this one is signed by hand.
      "an unknown critical header": signedByHand({ ...header, crit: ["bp-extension"], "bp-extension": 1 }, claims),
      "no jti": await signed(header, without("jti")),
      "no sub": await signed(header, without("sub")),
      "no iat": await signed(header, without("iat")),
      "no exp": await signed(header, without("exp")),
      "not valid before an hour from now": await signed(header, { ...claims, nbf: now + 3_600 }),
      "expired a minute ago": await signed(header, { ...claims, iat: now - 120, exp: now - 60 }),
      "no caller": await signed(header, { ...claims, bp: undefined }),
      "a caller of an unknown kind": await signed(header, { ...claims, bp: { ...CALLER, kind: "admin" } }),
      "its payload changed to an admin after signing": `${goodHeader}.${b64({ ...claims, bp: { ...CALLER, role: "admin" } })}.${goodSignature}`,
      "its signature cut short": `${goodHeader}.${goodPayload}.${goodSignature.slice(0, -4)}`,
      "its signature's last byte changed": `${goodHeader}.${goodPayload}.${goodSignature.slice(0, -2)}${goodSignature.endsWith("AA") ? "BA" : "AA"}`,
      "a payload that is not JSON": `${goodHeader}.${Buffer.from("not json").toString("base64url")}.${goodSignature}`,
    };
    for (const [what, token] of Object.entries(bad)) {
      await expect(verify(token), what).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
    await expect(verify(good)).resolves.toEqual(CALLER);
  });
});

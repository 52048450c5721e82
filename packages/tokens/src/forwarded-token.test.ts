import { randomUUID } from "node:crypto";
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
});

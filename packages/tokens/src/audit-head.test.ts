import { describe, expect, it } from "vitest";
import * as jose from "jose";
import { signAuditHead, verifyAuditHead } from "./audit-head.js";
import { generateSigningKeyPair, importPrivateKey } from "./keys.js";

const HEAD = { brand: "teabar", seq: 12, hash: "a".repeat(64), eventId: "0b7e2f0a-9c1d-4e5f-8a6b-1c2d3e4f5a6b", signedAt: "2026-12-01T10:00:00.000Z" };

describe("signed audit chain heads", () => {
  it("verifies a head against the signer's public key and refuses it against another key", async () => {
    const signer = await generateSigningKeyPair();
    const other = await generateSigningKeyPair();
    const jws = await signAuditHead(await importPrivateKey(signer.privateJwk), signer.publicJwk.kid ?? "k", HEAD);
    expect(await verifyAuditHead(jws, signer.publicJwk)).toEqual(HEAD);
    expect(await verifyAuditHead(jws, other.publicJwk)).toBeNull();
  });

  it("refuses a head whose payload was changed after signing, and a JWT of the same key", async () => {
    const signer = await generateSigningKeyPair();
    const key = await importPrivateKey(signer.privateJwk);
    const jws = await signAuditHead(key, "k", HEAD);
    const [header, , signature] = jws.split(".");
    const forged = Buffer.from(JSON.stringify({ ...HEAD, seq: 13 })).toString("base64url");
    expect(await verifyAuditHead(`${header}.${forged}.${signature}`, signer.publicJwk)).toBeNull();
    // A node client token is signed by the same key but is not a head (typ, shape).
    const token = await new jose.SignJWT({ ...HEAD }).setProtectedHeader({ alg: "EdDSA" }).sign(key);
    expect(await verifyAuditHead(token, signer.publicJwk)).toBeNull();
    expect(await verifyAuditHead("not a jws", signer.publicJwk)).toBeNull();
  });

  it("refuses to sign a head that is not well formed", async () => {
    const signer = await generateSigningKeyPair();
    await expect(signAuditHead(await importPrivateKey(signer.privateJwk), "k", { ...HEAD, hash: "xyz" })).rejects.toThrow();
  });
});

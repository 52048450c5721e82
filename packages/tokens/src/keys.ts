import * as jose from "jose";
import { z } from "zod";

/** Every signature in brandpool is Ed25519; verifiers accept this algorithm and no other. */
export const SIGNING_ALGORITHM = "EdDSA";

export const PublicJwkSchema = z
  .object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(1), kid: z.string().min(1).optional() })
  .passthrough()
  .refine((jwk) => !("d" in jwk), "a public key must not contain the private part `d`");
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

export const PrivateJwkSchema = z
  .object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(1), d: z.string().min(1), kid: z.string().min(1).optional() })
  .passthrough();
export type PrivateJwk = z.infer<typeof PrivateJwkSchema>;

export const JwkSetSchema = z.object({ keys: z.array(PublicJwkSchema).min(1) });
export type JwkSet = z.infer<typeof JwkSetSchema>;

export interface KeyPair {
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
}

/** A new Ed25519 key pair, with `kid` set to the RFC 7638 thumbprint of the public key. */
export async function generateSigningKeyPair(): Promise<KeyPair> {
  const { privateKey } = await jose.generateKeyPair(SIGNING_ALGORITHM, { crv: "Ed25519", extractable: true });
  const privateJwk = PrivateJwkSchema.parse(await jose.exportJWK(privateKey));
  const kid = await jose.calculateJwkThumbprint(privateJwk);
  const { d: _private, ...publicPart } = privateJwk;
  return { privateJwk: { ...privateJwk, kid }, publicJwk: PublicJwkSchema.parse({ ...publicPart, kid }) };
}

export function publicJwkOf(privateJwk: PrivateJwk): PublicJwk {
  const { d: _private, ...publicPart } = privateJwk;
  return PublicJwkSchema.parse(publicPart);
}

export async function importPrivateKey(jwk: PrivateJwk): Promise<jose.CryptoKey> {
  return (await jose.importJWK(jwk, SIGNING_ALGORITHM)) as jose.CryptoKey;
}

/** A key resolver over a fixed set of public keys (jose's local JWK set, `kid` matched when present). */
export function localKeySet(keys: readonly PublicJwk[]): jose.JWTVerifyGetKey {
  return jose.createLocalJWKSet({ keys: keys.map((key) => ({ ...key, alg: SIGNING_ALGORITHM })) });
}

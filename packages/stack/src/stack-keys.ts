import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { PrivateJwkSchema, generateSigningKeyPair } from "@brandpool/tokens";

export const StackKeysSchema = z.object({
  gateway: PrivateJwkSchema,
  devIssuer: PrivateJwkSchema,
  nodes: z.record(z.string(), z.object({ key: PrivateJwkSchema, secret: z.string().min(32) })),
});
export type StackKeys = z.infer<typeof StackKeysSchema>;

/** Fresh keys for a stack: the gateway's, the development issuer's, and each node's key and secret. */
export async function generateStackKeys(brandIds: readonly string[]): Promise<StackKeys> {
  const nodes: StackKeys["nodes"] = {};
  for (const id of brandIds) nodes[id] = { key: (await generateSigningKeyPair()).privateJwk, secret: randomBytes(32).toString("base64url") };
  return {
    gateway: (await generateSigningKeyPair()).privateJwk,
    devIssuer: (await generateSigningKeyPair()).privateJwk,
    nodes,
  };
}

/** Keys kept in a file (mode 0600) so that a second `npm start` reuses them with the data. */
export async function loadOrCreateStackKeys(file: string, brandIds: readonly string[]): Promise<StackKeys> {
  if (existsSync(file)) {
    const keys = StackKeysSchema.parse(JSON.parse(await readFile(file, "utf8")));
    if (brandIds.every((id) => keys.nodes[id])) return keys;
  }
  const keys = await generateStackKeys(brandIds);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

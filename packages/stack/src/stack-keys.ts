import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { PrivateJwkSchema, generateSigningKeyPair } from "@brandpool/tokens";

const NodeKeysSchema = z.object({
  /** The node's own key, for calling the gateway as `node:<brandId>`. */
  key: PrivateJwkSchema,
  /** Keys the node's privacy noise. */
  secret: z.string().min(32),
  /** The brand's development issuer: signs that brand's development tokens, and nothing else. */
  issuer: PrivateJwkSchema,
});

export const StackKeysSchema = z.object({
  gateway: PrivateJwkSchema,
  /** The development platform issuer: signs platform admins' and auditors' tokens only. */
  platformIssuer: PrivateJwkSchema,
  nodes: z.record(z.string(), NodeKeysSchema),
});
export type StackKeys = z.infer<typeof StackKeysSchema>;

// A keys file written before each issuer had its own key: one `devIssuer` signed for the platform
// and for every brand. Its node keys and secrets are kept; the issuers get fresh keys.
const EarlierStackKeysSchema = z.object({
  gateway: PrivateJwkSchema,
  platformIssuer: PrivateJwkSchema.optional(),
  nodes: z.record(z.string(), NodeKeysSchema.partial({ issuer: true })),
});

const newKey = async () => (await generateSigningKeyPair()).privateJwk;

/** Fresh keys for a stack: the gateway's, the platform issuer's, and each brand's node key, secret and issuer key. */
export async function generateStackKeys(brandIds: readonly string[]): Promise<StackKeys> {
  const nodes: StackKeys["nodes"] = {};
  for (const id of brandIds) nodes[id] = { key: await newKey(), secret: randomBytes(32).toString("base64url"), issuer: await newKey() };
  return { gateway: await newKey(), platformIssuer: await newKey(), nodes };
}

/** Keys kept in a file (mode 0600) so that a second `npm start` reuses them with the data. */
export async function loadOrCreateStackKeys(file: string, brandIds: readonly string[]): Promise<StackKeys> {
  if (existsSync(file)) {
    const stored = EarlierStackKeysSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (stored.success && brandIds.every((id) => stored.data.nodes[id])) {
      const current = StackKeysSchema.safeParse(stored.data);
      if (current.success) return current.data;
      const nodes: StackKeys["nodes"] = {};
      for (const [id, node] of Object.entries(stored.data.nodes)) nodes[id] = { ...node, issuer: node.issuer ?? (await newKey()) };
      const keys: StackKeys = { gateway: stored.data.gateway, platformIssuer: stored.data.platformIssuer ?? (await newKey()), nodes };
      await writeKeys(file, keys);
      return keys;
    }
  }
  const keys = await generateStackKeys(brandIds);
  await writeKeys(file, keys);
  return keys;
}

async function writeKeys(file: string, keys: StackKeys): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
}

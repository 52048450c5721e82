import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { AppError } from "@brandpool/errors";
import { PrivateJwkSchema, generateSigningKeyPair } from "@brandpool/tokens";
import { ensureSecretDirs, readSecretFile, writeSecretFile } from "./secret-files.js";

/** A generated password: 32 random bytes, base64url (URL-safe, printable, no spaces). */
const PasswordSchema = z.string().regex(/^[A-Za-z0-9_-]{32,}$/, "must be at least 32 base64url characters");

const NodeKeysSchema = z.object({
  /** The node's own key, for calling the gateway as `node:<brandId>`. */
  key: PrivateJwkSchema,
  /** Keys the node's privacy noise. */
  secret: z.string().min(32),
  /** The brand's development issuer: signs that brand's development tokens, and nothing else. */
  issuer: PrivateJwkSchema,
  /** The password of the node's own database role. */
  databasePassword: PasswordSchema,
});

export const StackKeysSchema = z.object({
  gateway: PrivateJwkSchema,
  /** The development platform issuer: signs platform admins' and auditors' tokens only. */
  platformIssuer: PrivateJwkSchema,
  /** The coordinator's database password, and its own key for calling the gateway as `coordinator`. */
  coordinator: z.object({ databasePassword: PasswordSchema, clientKey: PrivateJwkSchema }),
  nodes: z.record(z.string(), NodeKeysSchema),
});
export type StackKeys = z.infer<typeof StackKeysSchema>;

/** What `npm run token` needs, and all it reads: the development issuers' keys. */
export type DevIssuerKeys = Pick<StackKeys, "platformIssuer"> & { nodes: Record<string, Pick<StackKeys["nodes"][string], "issuer">> };

// The single `.data/keys.json` of earlier versions (every key in one file), with or without the
// issuers' own keys. Its keys and secrets are kept when it is split; what it lacks is generated.
const EarlierStackKeysSchema = z.object({
  gateway: PrivateJwkSchema,
  platformIssuer: PrivateJwkSchema.optional(),
  nodes: z.record(z.string(), z.object({ key: PrivateJwkSchema, secret: z.string().min(32), issuer: PrivateJwkSchema.optional() })),
});

const BRAND_ID = /^[a-z][a-z0-9-]{1,31}$/;
const newKey = async () => (await generateSigningKeyPair()).privateJwk;
const newPassword = () => randomBytes(32).toString("base64url");

/** Fresh keys for a stack: the gateway's, the platform issuer's, each service's database password, and each brand's node key, secret and issuer key. */
export async function generateStackKeys(brandIds: readonly string[]): Promise<StackKeys> {
  const nodes: StackKeys["nodes"] = {};
  for (const id of brandIds) {
    nodes[id] = { key: await newKey(), secret: randomBytes(32).toString("base64url"), issuer: await newKey(), databasePassword: newPassword() };
  }
  return { gateway: await newKey(), platformIssuer: await newKey(), coordinator: { databasePassword: newPassword(), clientKey: await newKey() }, nodes };
}

/**
 * Where each secret lives under `<dataDir>/secrets`: one folder per service holding only what
 * that service is given, and the development issuers' keys apart (only `npm run token` and
 * the stack's bootstrap sign with them).
 */
export const secretPaths = {
  root: (dataDir: string) => join(dataDir, "secrets"),
  gatewayKey: (dataDir: string) => join(dataDir, "secrets", "gateway", "gateway-key.json"),
  coordinatorDatabasePassword: (dataDir: string) => join(dataDir, "secrets", "coordinator", "database-password"),
  coordinatorClientKey: (dataDir: string) => join(dataDir, "secrets", "coordinator", "client-key.json"),
  nodeKey: (dataDir: string, id: string) => join(dataDir, "secrets", `brand-${id}`, "node-key.json"),
  nodeSecret: (dataDir: string, id: string) => join(dataDir, "secrets", `brand-${id}`, "node-secret"),
  nodeDatabasePassword: (dataDir: string, id: string) => join(dataDir, "secrets", `brand-${id}`, "database-password"),
  platformIssuer: (dataDir: string) => join(dataDir, "secrets", "dev-issuers", "platform.json"),
  brandIssuer: (dataDir: string, id: string) => join(dataDir, "secrets", "dev-issuers", `brand-${id}.json`),
  superuserPassword: (dataDir: string) => join(dataDir, "secrets", "postgres", "superuser-password"),
  legacyKeysFile: (dataDir: string) => join(dataDir, "keys.json"),
} as const;

interface Entry<T> {
  file: string;
  schema: z.ZodType<T>;
  json: boolean;
  /** From the earlier keys.json, when it has it. */
  legacy: T | undefined;
  generate: () => Promise<T> | T;
}

/**
 * The stack's keys and passwords, one file per secret under `<dataDir>/secrets` (mode 0600,
 * folders 0700, written atomically), so that a second `npm start` reuses them with the data.
 * What is missing is generated; an earlier single `keys.json` is split into the files and then
 * removed. A file that does not hold what it should is refused (BAD_INPUT, naming it) before
 * anything is written, so nothing is half replaced.
 */
export async function loadOrCreateStackKeys(dataDir: string, brandIds: readonly string[]): Promise<StackKeys> {
  for (const id of brandIds) if (!BRAND_ID.test(id)) throw new AppError("BAD_INPUT", `Not a brand id: ${JSON.stringify(id)}`);
  const legacyFile = secretPaths.legacyKeysFile(dataDir);
  const legacy = existsSync(legacyFile) ? parseLegacy(legacyFile, await readFile(legacyFile, "utf8")) : undefined;

  const entries = {
    gateway: entry(secretPaths.gatewayKey(dataDir), PrivateJwkSchema, true, legacy?.gateway, newKey),
    platformIssuer: entry(secretPaths.platformIssuer(dataDir), PrivateJwkSchema, true, legacy?.platformIssuer, newKey),
    coordinatorPassword: entry(secretPaths.coordinatorDatabasePassword(dataDir), PasswordSchema, false, undefined, newPassword),
    coordinatorClientKey: entry(secretPaths.coordinatorClientKey(dataDir), PrivateJwkSchema, true, undefined, newKey),
  };
  // Nodes of the earlier file that are not asked for now keep their keys too (in their folders).
  const ids = [...new Set([...brandIds, ...Object.keys(legacy?.nodes ?? {}).filter((id) => BRAND_ID.test(id))])];
  const nodeEntries = ids.map((id) => {
    const old = legacy?.nodes[id];
    return {
      id,
      key: entry(secretPaths.nodeKey(dataDir, id), PrivateJwkSchema, true, old?.key, newKey),
      secret: entry(secretPaths.nodeSecret(dataDir, id), z.string().min(32), false, old?.secret, () => randomBytes(32).toString("base64url")),
      issuer: entry(secretPaths.brandIssuer(dataDir, id), PrivateJwkSchema, true, old?.issuer, newKey),
      databasePassword: entry(secretPaths.nodeDatabasePassword(dataDir, id), PasswordSchema, false, undefined, newPassword),
    };
  });
  const all: Entry<unknown>[] = [...Object.values(entries), ...nodeEntries.flatMap((node) => [node.key, node.secret, node.issuer, node.databasePassword])];

  // Read and check everything first: a bad file stops the start with nothing changed.
  const values = new Map<Entry<unknown>, { value: unknown; write: boolean }>();
  for (const item of all) {
    if (item.legacy !== undefined) {
      values.set(item, { value: item.legacy, write: true });
      continue;
    }
    const stored = await readSecretFile(item.file);
    values.set(item, stored === undefined ? { value: undefined, write: true } : { value: parseSecret(item, stored), write: false });
  }
  for (const [item, slot] of values) {
    if (slot.value === undefined) slot.value = await item.generate();
    // Folders left open by an earlier version (or a user) are closed again.
    await ensureSecretDirs(secretPaths.root(dataDir), dirname(item.file));
    if (slot.write) await writeSecretFile(secretPaths.root(dataDir), item.file, item.json ? `${JSON.stringify(slot.value, null, 2)}\n` : `${String(slot.value)}\n`);
  }
  if (legacy) await rm(legacyFile);

  const value = <T>(item: Entry<T>) => values.get(item as Entry<unknown>)?.value as T;
  const nodes: StackKeys["nodes"] = {};
  for (const node of nodeEntries) {
    nodes[node.id] = { key: value(node.key), secret: value(node.secret), issuer: value(node.issuer), databasePassword: value(node.databasePassword) };
  }
  return StackKeysSchema.parse({
    gateway: value(entries.gateway),
    platformIssuer: value(entries.platformIssuer),
    coordinator: { databasePassword: value(entries.coordinatorPassword), clientKey: value(entries.coordinatorClientKey) },
    nodes,
  });
}

/**
 * The development issuers' keys alone, for `npm run token` (undefined before the first start,
 * or while an earlier keys.json waits to be split by `npm start`).
 */
export async function loadDevIssuers(dataDir: string): Promise<DevIssuerKeys | undefined> {
  const platformFile = secretPaths.platformIssuer(dataDir);
  if (existsSync(secretPaths.legacyKeysFile(dataDir)) || !existsSync(platformFile)) return undefined;
  const read = async (file: string) => parseSecret(entry(file, PrivateJwkSchema, true, undefined, newKey), (await readSecretFile(file)) ?? "");
  const nodes: DevIssuerKeys["nodes"] = {};
  const folder = join(dataDir, "secrets", "dev-issuers");
  for (const name of (await readdir(folder)).sort()) {
    const id = /^brand-(.+)\.json$/.exec(name)?.[1];
    if (id && BRAND_ID.test(id)) nodes[id] = { issuer: await read(join(folder, name)) };
  }
  return { platformIssuer: await read(platformFile), nodes };
}

function entry<T>(file: string, schema: z.ZodType<T>, json: boolean, legacy: T | undefined, generate: () => Promise<T> | T): Entry<T> {
  return { file, schema, json, legacy, generate };
}

function parseSecret<T>(item: Entry<T>, text: string): T {
  let raw: unknown = text.trim();
  if (item.json) {
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
  }
  const parsed = item.schema.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_INPUT", `${item.file} does not hold what brandpool wrote there; restore it or move it away (a new one is then generated).`);
  return parsed.data;
}

function parseLegacy(file: string, text: string): z.infer<typeof EarlierStackKeysSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = EarlierStackKeysSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("BAD_INPUT", `${file} is not a keys file of an earlier brandpool; move it away to start with new keys.`);
  return parsed.data;
}

import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generateSigningKeyPair } from "@brandpool/tokens";
import { loadDevIssuers, loadOrCreateStackKeys, secretPaths } from "./stack-keys.js";

const BRANDS = ["pieshop", "teabar"] as const;
const folders: string[] = [];

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "brandpool-keys-"));
  folders.push(dir);
  return join(dir, ".data");
}

/** Every file and folder under `root`, with its mode and (files) content. */
async function snapshot(root: string): Promise<Map<string, { mode: number; content?: string }>> {
  const found = new Map<string, { mode: number; content?: string }>();
  const walk = async (dir: string): Promise<void> => {
    found.set(relative(root, dir) || ".", { mode: (await stat(dir)).mode & 0o777 });
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.set(relative(root, path), { mode: (await stat(path)).mode & 0o777, content: await readFile(path, "utf8") });
    }
  };
  if (existsSync(root)) await walk(root);
  return found;
}

afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("the stack's keys and passwords on disk", () => {
  it("generates each at the first start into its own service's folder, files 0600 and folders 0700", async () => {
    const dataDir = await freshDataDir();
    await loadOrCreateStackKeys(dataDir, BRANDS);
    const files = await snapshot(join(dataDir, "secrets"));
    expect([...files.keys()].filter((path) => files.get(path)?.content !== undefined).map((path) => `secrets/${path}`).sort()).toEqual([
      "secrets/brand-pieshop/database-password",
      "secrets/brand-pieshop/node-key.json",
      "secrets/brand-pieshop/node-secret",
      "secrets/brand-teabar/database-password",
      "secrets/brand-teabar/node-key.json",
      "secrets/brand-teabar/node-secret",
      "secrets/coordinator/client-key.json",
      "secrets/coordinator/database-password",
      "secrets/dev-issuers/brand-pieshop.json",
      "secrets/dev-issuers/brand-teabar.json",
      "secrets/dev-issuers/platform.json",
      "secrets/gateway/gateway-key.json",
    ]);
    for (const [path, entry] of files) expect({ path, mode: entry.mode.toString(8) }).toEqual({ path, mode: entry.content === undefined ? "700" : "600" });
  });

  it("keeps in a node's folder only that node's own secrets", async () => {
    const dataDir = await freshDataDir();
    const keys = await loadOrCreateStackKeys(dataDir, BRANDS);
    const pieshop = await snapshot(join(dataDir, "secrets", "brand-pieshop"));
    const text = [...pieshop.values()].map((entry) => entry.content ?? "").join("\n");
    expect(text).toContain(keys.nodes.pieshop?.secret);
    for (const other of [keys.nodes.teabar?.secret, keys.nodes.teabar?.databasePassword, keys.coordinator.databasePassword, keys.gateway.d, keys.nodes.pieshop?.issuer.d]) {
      expect(text).not.toContain(other);
    }
  });

  it("reuses them at the next start", async () => {
    const dataDir = await freshDataDir();
    const first = await loadOrCreateStackKeys(dataDir, BRANDS);
    const files = await snapshot(dataDir);
    expect(await loadOrCreateStackKeys(dataDir, BRANDS)).toEqual(first);
    expect(await snapshot(dataDir)).toEqual(files);
  });

  it("draws new random passwords and keys for each fresh data folder", async () => {
    const [a, b] = [await loadOrCreateStackKeys(await freshDataDir(), BRANDS), await loadOrCreateStackKeys(await freshDataDir(), BRANDS)];
    const passwords = [a, b].flatMap((keys) => [keys.coordinator.databasePassword, ...BRANDS.map((id) => keys.nodes[id]?.databasePassword)]);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.gateway.d).not.toBe(b.gateway.d);
    expect(a.nodes.pieshop?.secret).not.toBe(b.nodes.pieshop?.secret);
  });

  it("leaves .data itself passable (the embedded server's OS user goes through it when run as root)", async () => {
    const dataDir = await freshDataDir();
    const reference = join(dataDir, "..", "made-by-plain-mkdir");
    await mkdir(reference);
    await loadOrCreateStackKeys(dataDir, BRANDS);
    expect((await stat(dataDir)).mode & 0o777).toBe((await stat(reference)).mode & 0o777);
    expect((await stat(dataDir)).mode & 0o777).not.toBe(0o700);
  });

  it("closes a secret file or folder that was left open to others", async () => {
    const dataDir = await freshDataDir();
    await loadOrCreateStackKeys(dataDir, BRANDS);
    await chmod(secretPaths.nodeSecret(dataDir, "pieshop"), 0o644);
    await chmod(join(dataDir, "secrets"), 0o755);
    await loadOrCreateStackKeys(dataDir, BRANDS);
    expect((await stat(secretPaths.nodeSecret(dataDir, "pieshop"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, "secrets"))).mode & 0o777).toBe(0o700);
  });

  it("gives npm run token the development issuers and nothing else", async () => {
    const dataDir = await freshDataDir();
    const keys = await loadOrCreateStackKeys(dataDir, BRANDS);
    expect(await loadDevIssuers(dataDir)).toEqual({
      platformIssuer: keys.platformIssuer,
      nodes: { pieshop: { issuer: keys.nodes.pieshop?.issuer }, teabar: { issuer: keys.nodes.teabar?.issuer } },
    });
  });
});

describe("an earlier single .data/keys.json", () => {
  async function writeEarlierKeys(dataDir: string) {
    const key = async () => (await generateSigningKeyPair()).privateJwk;
    // The oldest layout: one file, world-readable, no issuer keys of their own.
    const earlier = {
      gateway: await key(),
      nodes: { pieshop: { key: await key(), secret: "p".repeat(43) }, teabar: { key: await key(), secret: "t".repeat(43) } },
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(secretPaths.legacyKeysFile(dataDir), JSON.stringify(earlier), { mode: 0o644 });
    return earlier;
  }

  it("is split into the folders with its keys and secrets kept, then removed; the second start reuses the split", async () => {
    const dataDir = await freshDataDir();
    const earlier = await writeEarlierKeys(dataDir);
    expect(await loadDevIssuers(dataDir)).toBeUndefined();
    const keys = await loadOrCreateStackKeys(dataDir, BRANDS);
    expect(keys.gateway).toEqual(earlier.gateway);
    expect(keys.nodes.pieshop).toMatchObject(earlier.nodes.pieshop);
    expect(keys.nodes.teabar).toMatchObject(earlier.nodes.teabar);
    expect(existsSync(secretPaths.legacyKeysFile(dataDir))).toBe(false);
    for (const [path, entry] of await snapshot(join(dataDir, "secrets"))) expect({ path, mode: entry.mode.toString(8) }).toEqual({ path, mode: entry.content === undefined ? "700" : "600" });
    expect(await loadOrCreateStackKeys(dataDir, BRANDS)).toEqual(keys);
  });

  it("is refused when it does not hold keys, and nothing is written or removed", async () => {
    const dataDir = await freshDataDir();
    await mkdir(dataDir, { recursive: true });
    await writeFile(secretPaths.legacyKeysFile(dataDir), '{"gateway": 1}');
    const before = await snapshot(dataDir);
    await expect(loadOrCreateStackKeys(dataDir, BRANDS)).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await snapshot(dataDir)).toEqual(before);
  });
});

describe("bad input", () => {
  it("refuses a damaged secret file, naming it, and changes nothing", async () => {
    const dataDir = await freshDataDir();
    await loadOrCreateStackKeys(dataDir, BRANDS);
    await writeFile(secretPaths.nodeSecret(dataDir, "teabar"), "short");
    await rm(secretPaths.coordinatorDatabasePassword(dataDir));
    const before = await snapshot(dataDir);
    await expect(loadOrCreateStackKeys(dataDir, BRANDS)).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining("brand-teabar/node-secret") });
    // Not even the missing password was generated.
    expect(await snapshot(dataDir)).toEqual(before);
  });

  it("refuses a brand id that would leave the secrets folder, and creates nothing", async () => {
    const dataDir = await freshDataDir();
    await expect(loadOrCreateStackKeys(dataDir, ["../escape"])).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(existsSync(dataDir)).toBe(false);
  });
});

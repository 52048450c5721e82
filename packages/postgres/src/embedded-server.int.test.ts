import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-server.js";
import type { RunningServer } from "./embedded-server.js";
import { freePort } from "./free-port.js";

/** The SQLSTATE of a connection attempt, or "none" when it got in. */
async function connectState(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return "none";
  } catch (error) {
    return String((error as { code?: unknown }).code ?? (error as Error).message);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const withPassword = (url: string, password: string) => {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
};

// Its own cluster (the run's server may be a trust-auth one, where passwords prove nothing).
describe("the embedded server's superuser password", () => {
  let parent: string;
  let dataDir: string;
  let port: number;
  let running: RunningServer | undefined;
  const first = randomBytes(24).toString("base64url");
  const second = randomBytes(24).toString("base64url");

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), "brandpool-embedded-"));
    // As root the server runs as the OS user postgres, which must get through to its folder.
    await chmod(parent, 0o755);
    dataDir = join(parent, "postgres");
    port = await freePort();
  });
  afterAll(async () => {
    await running?.stop();
    await rm(parent, { recursive: true, force: true });
  });

  it("is the one given at initdb, and a wrong one is refused", async () => {
    running = await startEmbeddedPostgres({ dataDir, port, password: first });
    expect(await connectState(running.adminUrl)).toBe("none");
    expect(await connectState(withPassword(running.adminUrl, second))).toBe("28P01");
    await running.stop();
    running = undefined;
  });

  it("is set anew on a cluster whose password is not known, and the authentication file is put back as it was", async () => {
    const hba = await readFile(join(dataDir, "pg_hba.conf"), "utf8");
    expect(hba).not.toMatch(/^\s*host\b.*\btrust\s*$/m);
    running = await startEmbeddedPostgres({ dataDir, port, password: second, resetPassword: true });
    expect(await connectState(running.adminUrl)).toBe("none");
    expect(await connectState(withPassword(running.adminUrl, first))).toBe("28P01");
    expect(await readFile(join(dataDir, "pg_hba.conf"), "utf8")).toBe(hba);
    expect(existsSync(join(dataDir, "pg_hba.conf.brandpool-saved"))).toBe(false);
    await running.stop();
    running = undefined;
  });

  it("puts back the authentication file a reset that died left trusting, before the server starts", async () => {
    const hba = await readFile(join(dataDir, "pg_hba.conf"), "utf8");
    await writeFile(join(dataDir, "pg_hba.conf.brandpool-saved"), hba);
    await writeFile(join(dataDir, "pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
    running = await startEmbeddedPostgres({ dataDir, port, password: second });
    expect(await readFile(join(dataDir, "pg_hba.conf"), "utf8")).toBe(hba);
    expect(await connectState(withPassword(running.adminUrl, first))).toBe("28P01");
  });

  it("must be a real password: a short one is refused before anything is created", async () => {
    const elsewhere = join(parent, "never");
    await expect(startEmbeddedPostgres({ dataDir: elsewhere, port: await freePort(), password: "short" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(existsSync(elsewhere)).toBe(false);
  });
});

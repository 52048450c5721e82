import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { embeddedSuperuserPassword } from "./embedded-superuser-password.js";
import { secretPaths } from "./stack-keys.js";

const folders: string[] = [];
async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "brandpool-superuser-"));
  folders.push(dir);
  return join(dir, ".data");
}
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("the embedded server's superuser password of npm start", () => {
  it("is drawn at random for each fresh data folder and kept there, 0600 in a 0700 folder, before initdb", async () => {
    const [a, b] = [await freshDataDir(), await freshDataDir()];
    const first = await embeddedSuperuserPassword(a, false);
    const second = await embeddedSuperuserPassword(b, false);
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.password).not.toBe(first.password);
    expect(first.reset).toBe(false);
    const file = secretPaths.superuserPassword(a);
    expect((await readFile(file, "utf8")).trim()).toBe(first.password);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
  });

  it("is the kept one at the next start", async () => {
    const dataDir = await freshDataDir();
    const first = await embeddedSuperuserPassword(dataDir, false);
    expect(await embeddedSuperuserPassword(dataDir, true)).toMatchObject({ password: first.password, reset: false });
  });

  it("is set anew on a cluster from before generated passwords, and kept only once the server has it", async () => {
    const dataDir = await freshDataDir();
    const earlier = await embeddedSuperuserPassword(dataDir, true);
    expect(earlier.reset).toBe(true);
    expect(existsSync(secretPaths.superuserPassword(dataDir))).toBe(false);
    await earlier.keep();
    expect(await embeddedSuperuserPassword(dataDir, true)).toMatchObject({ password: earlier.password, reset: false });
  });

  it("refuses a damaged password file and leaves it as it is", async () => {
    const dataDir = await freshDataDir();
    await embeddedSuperuserPassword(dataDir, false);
    const file = secretPaths.superuserPassword(dataDir);
    await writeFile(file, "not it\n");
    await expect(embeddedSuperuserPassword(dataDir, true)).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await readFile(file, "utf8")).toBe("not it\n");
  });
});

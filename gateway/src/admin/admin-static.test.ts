import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminStatic } from "./admin-static.js";

describe("the admin UI's static files", () => {
  let root: string;
  let files: AdminStatic;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "bp-admin-static-"));
    await mkdir(join(root, "dist", "assets"), { recursive: true });
    await writeFile(join(root, "dist", "index.html"), "<!doctype html><title>ui</title>");
    await writeFile(join(root, "dist", "assets", "index-abc123.js"), "export {}");
    await writeFile(join(root, "dist", "assets", "index-abc123.css"), "body{}");
    await writeFile(join(root, "secret.txt"), "outside the build");
    files = new AdminStatic(join(root, "dist"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("serves hashed assets with their type, cached for a year", async () => {
    expect(await files.lookup("/admin/assets/index-abc123.js")).toMatchObject({ contentType: "text/javascript; charset=utf-8", cacheControl: "public, max-age=31536000, immutable" });
    expect(await files.lookup("/admin/assets/index-abc123.css")).toMatchObject({ contentType: "text/css; charset=utf-8" });
  });

  it("answers the UI's own routes with index.html, never cached", async () => {
    for (const path of ["/admin/", "/admin/inbox", "/admin/requests/deep/link"]) {
      const file = await files.lookup(path);
      expect(file?.body.toString()).toContain("<title>ui</title>");
      expect(file).toMatchObject({ contentType: "text/html; charset=utf-8", cacheControl: "no-cache" });
    }
  });

  it("refuses a missing asset and a file name it does not have (a stale page must not get HTML as script)", async () => {
    expect(await files.lookup("/admin/assets/index-old999.js")).toBeUndefined();
    expect(await files.lookup("/admin/favicon.png")).toBeUndefined();
  });

  it("never serves a file outside the build folder (bad input: .., encoded .., a NUL, bad escapes)", async () => {
    for (const path of ["/admin/../secret.txt", "/admin/%2e%2e/secret.txt", "/admin/assets/%2e%2e/%2e%2e/secret.txt", "/admin/..%2fsecret.txt", "/admin/index.html%00.js", "/admin/%E0%A4%A"]) {
      const file = await files.lookup(path);
      expect(file?.body.toString() ?? "").not.toContain("outside the build");
    }
  });
});

import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The admin UI's build in this repository, when ADMIN_DIR is not set (gateway/dist/admin -> admin/dist). */
export const DEFAULT_ADMIN_DIR = fileURLToPath(new URL("../../../admin/dist", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

// Everything the pages load comes from this gateway: no CDN, no inline script. GraphiQL's editor
// sets inline styles, so styles allow them; nothing else does.
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
}

/**
 * The admin UI's files under /admin: hashed assets (`/admin/assets/…`) cached for a year, every
 * other path that names no file answered with index.html (the UI routes in the browser), which
 * is never cached so a new build is seen at once. A path that leaves the folder is refused.
 */
export class AdminStatic {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  /** The file for a path under /admin, or undefined (404) when there is none and no fallback. */
  async lookup(pathname: string): Promise<StaticFile | undefined> {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.replace(/^\/admin\/?/, ""));
    } catch {
      return undefined;
    }
    if (relative.includes("\0")) return undefined;
    const file = resolve(join(this.root, relative));
    if (file !== this.root && !file.startsWith(this.root + sep)) return undefined;
    const found = await this.read(file);
    if (found) {
      const hashed = relative.startsWith("assets/");
      return { ...found, cacheControl: hashed ? "public, max-age=31536000, immutable" : "no-cache" };
    }
    // A missing asset is a 404 (a stale page asking for an old hash must not get HTML as script).
    if (relative.startsWith("assets/") || extname(relative) !== "") return undefined;
    const index = await this.read(join(this.root, "index.html"));
    return index && { ...index, cacheControl: "no-cache" };
  }

  private async read(file: string): Promise<Omit<StaticFile, "cacheControl"> | undefined> {
    try {
      if (!(await stat(file)).isFile()) return undefined;
      return { body: await readFile(file), contentType: CONTENT_TYPES[extname(file)] ?? "application/octet-stream" };
    } catch {
      return undefined;
    }
  }
}

/** Whether the request asks for a page (a browser's navigation), not JSON. */
export function wantsHtml(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? "");
  return accept.includes("text/html");
}

export function sendStatic(req: IncomingMessage, res: ServerResponse, file: StaticFile): void {
  res.statusCode = 200;
  res.setHeader("content-type", file.contentType);
  res.setHeader("cache-control", file.cacheControl);
  res.setHeader("content-length", String(file.body.length));
  for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) res.setHeader(name, value);
  res.end(req.method === "HEAD" ? undefined : file.body);
}

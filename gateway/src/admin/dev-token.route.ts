import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { sendError } from "@brandpool/http-server";
import { DEV_PLATFORM_ISSUER, devBrandIssuer, importPrivateKey, mintCallerToken } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";

const BRAND_ROLES = ["analyst", "approver", "admin", "auditor"] as const;
const PLATFORM_ROLES = ["auditor"] as const;

export interface DevIssuerKeys {
  platform?: PrivateJwk | undefined;
  brands: Record<string, PrivateJwk>;
}

const DevTokenRequestSchema = z.object({
  brand: z.string().min(1).max(64).nullable(),
  role: z.enum(["analyst", "approver", "admin", "auditor"]),
});

/**
 * Development only (BRANDPOOL_DEV=1 with DEV_ISSUER_KEYS): the admin UI's identity picker.
 * `GET /dev/identities` lists the demo identities; `POST /dev/token` (JSON `{ brand, role }`)
 * mints a token of that brand's development issuer, an hour long, which the gateway then
 * verifies like any other. Without the keys both paths are 404, as on any other gateway.
 */
export function devTokenRoute(keys: DevIssuerKeys | undefined): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== "/dev/identities" && path !== "/dev/token") return false;
    if (!keys) {
      sendError(res, "NOT_FOUND");
      return true;
    }
    if (path === "/dev/identities") {
      if (req.method !== "GET") return refuse(res, "only GET");
      const identities = [
        ...Object.keys(keys.brands).flatMap((brand) => BRAND_ROLES.map((role) => ({ brand, role }))),
        ...(keys.platform ? PLATFORM_ROLES.map((role) => ({ brand: null, role })) : []),
      ];
      return json(res, { identities });
    }
    // JSON only: a cross-site form cannot send it without a preflight this server never allows.
    if (req.method !== "POST" || !String(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return refuse(res, "POST a JSON body { brand, role }");
    }
    let body: unknown;
    try {
      body = JSON.parse(await readSmallBody(req));
    } catch {
      return refuse(res, "The request body is not valid JSON.");
    }
    const parsed = DevTokenRequestSchema.safeParse(body);
    if (!parsed.success) return refuse(res, "brand is a demo brand id (or null for the platform) and role one of analyst, approver, admin, auditor");
    const { brand, role } = parsed.data;
    const key = brand === null ? (role === "auditor" ? keys.platform : undefined) : keys.brands[brand];
    if (!key) return refuse(res, `No demo identity ${brand ?? "platform"} ${role}: the demo brands are ${Object.keys(keys.brands).join(", ")}.`);
    const token = await mintCallerToken(await importPrivateKey(key), key.kid ?? "dev", {
      issuer: brand ? devBrandIssuer(brand) : DEV_PLATFORM_ISSUER,
      subject: `${brand ?? "platform"}-${role}@dev`,
      role,
      brand: brand ?? undefined,
    });
    return json(res, { token });
  };
}

function json(res: ServerResponse, value: unknown): true {
  res.statusCode = 200;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify(value));
  return true;
}

function refuse(res: ServerResponse, message: string): true {
  sendError(res, "BAD_INPUT", message);
  return true;
}

function readSmallBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 1_024) reject(new Error("too large"));
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "@brandpool/http-server";
import { AdminStatic, sendStatic, wantsHtml } from "./admin-static.js";
import { devTokenRoute } from "./dev-token.route.js";
import type { DevIssuerKeys } from "./dev-token.route.js";

export interface AdminRoutes {
  routes: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** GraphiQL for a browser's GET of /graphql, from the admin build (no CDN). */
  browserPage: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

/**
 * The gateway's pages: the admin UI at /admin, `GET /` sending a browser there, GraphiQL at
 * /graphql for a browser, and (development only) the identity picker's token route.
 */
export function adminRoutes(options: { adminDir: string; devIssuerKeys?: DevIssuerKeys | undefined }): AdminRoutes {
  const files = new AdminStatic(options.adminDir);
  const dev = devTokenRoute(options.devIssuerKeys);
  const notBuilt = (res: ServerResponse) =>
    sendError(res, "NOT_FOUND", "The admin UI is not built here: run `npm run build` (it builds admin/), or set ADMIN_DIR.");
  return {
    async routes(req, res) {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path === "/" && req.method === "GET" && wantsHtml(req)) {
        res.statusCode = 302;
        res.setHeader("location", "/admin/");
        res.end();
        return true;
      }
      if (path === "/admin" || path.startsWith("/admin/")) {
        if (req.method !== "GET" && req.method !== "HEAD") {
          sendError(res, "BAD_INPUT", "The admin UI's files are read with GET.");
          return true;
        }
        if (path === "/admin") {
          res.statusCode = 301;
          res.setHeader("location", "/admin/");
          res.end();
          return true;
        }
        const file = await files.lookup(path);
        if (file) sendStatic(req, res, file);
        else if (!(await files.lookup("/admin/index.html"))) notBuilt(res);
        else sendError(res, "NOT_FOUND");
        return true;
      }
      return dev(req, res);
    },
    async browserPage(req, res) {
      const file = await files.lookup("/admin/graphiql.html");
      if (!file) return false;
      sendStatic(req, res, file);
      return true;
    },
  };
}

import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer, BaseContext } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import { ERROR_STATUS, FIXED_MESSAGES } from "@brandpool/errors";
import type { ErrorCode } from "@brandpool/errors";
import { ServerTimings } from "./server-timing.js";

export interface ServeOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  port: number;
  host?: string;
  /** Largest request body accepted, in bytes (PAYLOAD_TOO_LARGE, HTTP 413, beyond). */
  maxBodyBytes: number;
  /** Builds the operation's context; `timings` is the request's stage clock when `serverTiming` is on, else null. */
  context: (req: IncomingMessage, timings: ServerTimings | null) => Promise<TContext>;
  /**
   * Adds a W3C `Server-Timing` header to each /graphql answer with the stages the context's code
   * timed and the total (default false). A timing side channel: services refuse it in production.
   */
  serverTiming?: boolean;
  /** Whether the service is ready for traffic; /health answers 503 until it is. */
  ready?: () => boolean;
  /** Serves other paths (static files); returns false to fall through to 404. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /**
   * Answers a browser's GET of /graphql (Accept: text/html) with a page; returns false to leave
   * the request to GraphQL. Never called for POST or for a GET that does not ask for HTML.
   */
  browserPage?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

export interface HttpService {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function sendError(res: ServerResponse, code: ErrorCode, message: string = FIXED_MESSAGES[code]): void {
  res.statusCode = ERROR_STATUS[code];
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

class BodyTooLarge extends Error {}

/**
 * Reads the body up to `limit` bytes. Past the limit it stops keeping chunks and lets the rest
 * drain unread, so the PAYLOAD_TOO_LARGE answer still reaches the client (destroying the socket
 * here would reset the connection before any answer could be sent).
 */
const DRAIN_FACTOR = 10;

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // An oversized body is read to its end (and thrown away) before the answer goes out: a client
    // still writing when the server closes the connection sees EPIPE, not PAYLOAD_TOO_LARGE. Beyond
    // DRAIN_FACTOR times the limit the server stops reading and answers at once.
    let refused = false;
    const tooLarge = () => {
      refused = true;
      req.removeListener("data", onData);
      let drained = size;
      const cap = limit * DRAIN_FACTOR;
      if (declared > cap) {
        req.resume();
        return reject(new BodyTooLarge());
      }
      req.on("data", (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > cap) reject(new BodyTooLarge());
      });
      req.once("end", () => reject(new BodyTooLarge()));
      req.resume();
    };
    const declared = Number(req.headers["content-length"] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        tooLarge();
      } else chunks.push(chunk);
    };
    if (declared > limit) return tooLarge();
    req.on("data", onData);
    req.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

/** A plain node:http server in front of Apollo Server: /graphql, /health, and the extra routes. */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<HttpService> {
  const server = http.createServer((req, res) => {
    handle(options, req, res).catch(() => {
      if (!res.headersSent) sendError(res, "INTERNAL");
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/graphql`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle<TContext extends BaseContext>(
  options: ServeOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const timings = options.serverTiming ? new ServerTimings() : null;
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/health") {
    const ready = options.ready?.() ?? true;
    res.statusCode = ready ? 200 : 503;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: ready }));
    return;
  }
  if (url.pathname !== "/graphql") {
    if (options.routes && (await options.routes(req, res))) return;
    return sendError(res, "NOT_FOUND");
  }
  const asksForPage = req.method === "GET" && String(req.headers.accept ?? "").includes("text/html");
  if (asksForPage && options.browserPage && (await options.browserPage(req, res))) return;
  let body: unknown;
  if (req.method === "POST") {
    let text: string;
    try {
      text = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // The rest of the body is not wanted: close the connection once the answer is out.
        res.setHeader("connection", "close");
        return sendError(res, "PAYLOAD_TOO_LARGE", `The request body is larger than ${options.maxBodyBytes} bytes.`);
      }
      throw error;
    }
    try {
      body = text.length ? JSON.parse(text) : undefined;
    } catch {
      return sendError(res, "BAD_INPUT", "The request body is not valid JSON.");
    }
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: url.search, body },
    context: () => options.context(req, timings),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  if (timings) res.setHeader("server-timing", timings.header());
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

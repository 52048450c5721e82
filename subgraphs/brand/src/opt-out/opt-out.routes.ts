import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "@brandpool/http-server";
import type { UnsubscribeTokens } from "../sending/unsubscribe-token.js";
import type { OptOutService } from "./opt-out.service.js";
import { SmsReplySchema, isOptOutReply } from "./sms-reply.js";

export const SMS_REPLIES_PATH = "/sms/replies";
export const UNSUBSCRIBE_PATH = "/unsubscribe";
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The node's own HTTP routes for opt-outs (outside GraphQL: the callers are an SMS provider and
 * a recipient's mail client, not principals of the platform):
 * - `POST /sms/replies`, the provider's reply webhook, with the shared secret in
 *   `X-Sms-Webhook-Secret` (401 without it) and `{ "from": "+86...", "text": "T" }` (400
 *   BAD_INPUT otherwise): an opt-out word withdraws SMS consent of that number's members. The
 *   answer is the same whether or not the number is a member's.
 * - `POST /unsubscribe/<token>` (RFC 8058 one-click, `List-Unsubscribe=One-Click`): withdraws
 *   consent on the message's channel; `GET` shows a page with the button, and changes nothing.
 */
export function optOutRoutes(options: { optOuts: OptOutService; tokens: UnsubscribeTokens; smsReplySecret: string | undefined }) {
  const secret = options.smsReplySecret ? Buffer.from(options.smsReplySecret, "utf8") : null;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (path === SMS_REPLIES_PATH && secret) {
      if (req.method !== "POST") return answer(res, 405, "text/plain", "POST only\n");
      const given = req.headers["x-sms-webhook-secret"];
      const presented = Buffer.from(typeof given === "string" ? given : "", "utf8");
      if (presented.length !== secret.length || !timingSafeEqual(presented, secret)) {
        sendError(res, "UNAUTHENTICATED");
        return true;
      }
      const body = await readSmallBody(req);
      let reply;
      try {
        reply = body === undefined ? undefined : SmsReplySchema.safeParse(JSON.parse(body));
      } catch {
        reply = undefined;
      }
      if (!reply?.success) {
        sendError(res, "BAD_INPUT", "A reply is JSON { from: E.164 number, text: string }.");
        return true;
      }
      if (isOptOutReply(reply.data.text)) await options.optOuts.optOutPhone(reply.data.from);
      return answer(res, 200, "application/json", JSON.stringify({ status: "received" }));
    }
    if (path.startsWith(`${UNSUBSCRIBE_PATH}/`)) {
      // A token is base64url: anything else (a stray %) is simply not one of this node's.
      const messageKey = options.tokens.verify(path.slice(UNSUBSCRIBE_PATH.length + 1));
      if (!messageKey) {
        sendError(res, "NOT_FOUND");
        return true;
      }
      if (req.method === "GET") {
        return answer(res, 200, "text/html; charset=utf-8", `<!doctype html><title>Unsubscribe</title><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button>Unsubscribe from these messages</button></form>\n`);
      }
      if (req.method !== "POST") return answer(res, 405, "text/plain", "GET or POST only\n");
      await readSmallBody(req);
      await options.optOuts.optOutMessage(messageKey, "EMAIL_LINK");
      return answer(res, 200, "text/plain; charset=utf-8", "You will get no more of these messages.\n");
    }
    return false;
  };
}

function answer(res: ServerResponse, status: number, type: string, body: string): true {
  res.statusCode = status;
  res.setHeader("content-type", type);
  res.end(body);
  return true;
}

function readSmallBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The token of an email's one-click unsubscribe link: the message key (a random UUID, so the
 * link names the member only through this node's own table) and an HMAC of it under a key
 * derived from the node secret, so nobody can unsubscribe a member by guessing keys.
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(nodeSecret: string) {
    // A key of its own, never the privacy layer's noise key itself.
    this.key = createHmac("sha256", nodeSecret).update("brandpool unsubscribe token v1").digest();
  }

  issue(messageKey: string): string {
    const id = Buffer.from(messageKey.replace(/-/g, ""), "hex");
    return `${id.toString("base64url")}${this.mac(id).toString("base64url")}`;
  }

  /** The message key the token was issued for, or null for a token this node did not issue. */
  verify(token: string): string | null {
    if (!/^[A-Za-z0-9_-]{44}$/.test(token)) return null;
    const id = Buffer.from(token.slice(0, 22), "base64url");
    const mac = Buffer.from(token.slice(22), "base64url");
    if (id.length !== 16 || mac.length !== 16 || !timingSafeEqual(mac, this.mac(id))) return null;
    const hex = id.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private mac(id: Buffer): Buffer {
    return createHmac("sha256", this.key).update(id).digest().subarray(0, 16);
  }
}

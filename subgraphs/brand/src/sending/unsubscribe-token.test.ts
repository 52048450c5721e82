import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UnsubscribeTokens } from "./unsubscribe-token.js";

const tokens = new UnsubscribeTokens("a node secret of at least thirty-two characters");

describe("unsubscribe tokens", () => {
  it("gives back the message key it was issued for", () => {
    const key = randomUUID();
    const token = tokens.issue(key);
    expect(token).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(tokens.verify(token)).toBe(key);
  });

  it("refuses a changed, truncated or foreign token", () => {
    const token = tokens.issue(randomUUID());
    const flipped = `${token.slice(0, 30)}${token[30] === "A" ? "B" : "A"}${token.slice(31)}`;
    expect(tokens.verify(flipped)).toBeNull();
    expect(tokens.verify(token.slice(0, 43))).toBeNull();
    expect(tokens.verify(new UnsubscribeTokens("another node secret of thirty-two characters").issue(randomUUID()))).toBeNull();
    // Another key with this token's MAC.
    expect(tokens.verify(`${tokens.issue(randomUUID()).slice(0, 22)}${token.slice(22)}`)).toBeNull();
  });
});

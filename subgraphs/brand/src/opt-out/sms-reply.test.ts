import { describe, expect, it } from "vitest";
import { isOptOutReply } from "./sms-reply.js";

describe("SMS opt-out replies", () => {
  it("takes T, TD, 回T退订 and STOP in any case and spacing", () => {
    for (const text of ["T", "t", " T ", "TD", "td", "回T退订", "退订", "STOP", "Stop.", "ｔ", "unsubscribe"]) expect(isOptOutReply(text), text).toBe(true);
  });
  it("leaves other replies alone", () => {
    for (const text of ["", "Thanks", "TT", "stop it please", "好的", "1"]) expect(isOptOutReply(text), text).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { SMS_OPT_OUT_SUFFIX_EN, SMS_OPT_OUT_SUFFIX_ZH, appendSmsOptOut, smsOptOutSuffix } from "./opt-out-suffix.js";

describe("smsOptOutSuffix", () => {
  it("picks 回T退订 for a message with Chinese text and the English line otherwise", () => {
    expect(SMS_OPT_OUT_SUFFIX_ZH).toBe("回T退订");
    expect(SMS_OPT_OUT_SUFFIX_EN).toBe("Reply STOP to opt out");
    expect(smsOptOutSuffix("春季新品上市，凭券立减20元：{{coupon}}")).toBe(SMS_OPT_OUT_SUFFIX_ZH);
    expect(smsOptOutSuffix("Spring sale: 20% off with {{coupon}}")).toBe(SMS_OPT_OUT_SUFFIX_EN);
    expect(smsOptOutSuffix("Sale「today」")).toBe(SMS_OPT_OUT_SUFFIX_ZH);
  });

  it("decides on the template, so a Chinese first name filled in later does not change it", () => {
    expect(smsOptOutSuffix("Hi {{firstName}}, 20% off today")).toBe(SMS_OPT_OUT_SUFFIX_EN);
  });

  it("appends the suffix after one space, trailing white space dropped", () => {
    expect(appendSmsOptOut("Sale today \n", SMS_OPT_OUT_SUFFIX_EN)).toBe("Sale today Reply STOP to opt out");
  });
});

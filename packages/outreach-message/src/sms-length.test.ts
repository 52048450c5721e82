import { describe, expect, it } from "vitest";
import { GSM_BASIC_CHARACTERS, GSM_EXTENSION_CHARACTERS, smsLength } from "./sms-length.js";

const gsm = (n: number): string => "a".repeat(n);
const ucs = (n: number): string => "好".repeat(n);

describe("smsLength: GSM-7", () => {
  it("holds the 127 basic characters and 10 extension characters of GSM 03.38", () => {
    expect(new Set(GSM_BASIC_CHARACTERS).size).toBe(127);
    expect(Array.from(GSM_BASIC_CHARACTERS)).toHaveLength(127);
    expect(Array.from(GSM_EXTENSION_CHARACTERS)).toHaveLength(10);
    expect(smsLength(GSM_BASIC_CHARACTERS)).toMatchObject({ encoding: "GSM-7", units: 127 });
    expect(smsLength(GSM_EXTENSION_CHARACTERS)).toMatchObject({ encoding: "GSM-7", units: 20 });
  });

  it("fits 160 characters in one part and needs two for 161", () => {
    expect(smsLength(gsm(160))).toEqual({ encoding: "GSM-7", units: 160, parts: 1, perPartLimit: 160, maxParts: 3, fits: true });
    expect(smsLength(gsm(161))).toEqual({ encoding: "GSM-7", units: 161, parts: 2, perPartLimit: 153, maxParts: 3, fits: true });
  });

  it("fits 306 characters in two parts of 153 and needs three for 307", () => {
    expect(smsLength(gsm(306))).toMatchObject({ units: 306, parts: 2, perPartLimit: 153 });
    expect(smsLength(gsm(307))).toMatchObject({ units: 307, parts: 3 });
  });

  it("fits 459 characters in three parts and refuses 460 as a fourth part", () => {
    expect(smsLength(gsm(459))).toMatchObject({ units: 459, parts: 3, fits: true });
    expect(smsLength(gsm(460))).toMatchObject({ units: 460, parts: 4, fits: false });
  });

  it("counts an extension character twice, so one at the end of 159 characters makes 161", () => {
    expect(smsLength(`${gsm(158)}€`)).toMatchObject({ encoding: "GSM-7", units: 160, parts: 1 });
    expect(smsLength(`${gsm(159)}€`)).toMatchObject({ encoding: "GSM-7", units: 161, parts: 2 });
    expect(smsLength(`${gsm(159)}\f`)).toMatchObject({ units: 161, parts: 2 });
    for (const c of GSM_EXTENSION_CHARACTERS) expect(smsLength(c).units).toBe(2);
  });

  it("never splits an extension character between parts: 152 + € + 152 is 306 units in three parts", () => {
    expect(smsLength(`${gsm(152)}€${gsm(151)}`)).toMatchObject({ units: 305, parts: 2 });
    expect(smsLength(`${gsm(152)}€${gsm(152)}`)).toMatchObject({ units: 306, parts: 3 });
    expect(smsLength(`${gsm(151)}€${gsm(153)}`)).toMatchObject({ units: 306, parts: 2 });
  });
});

describe("smsLength: UCS-2", () => {
  it("switches the whole text to UCS-2 for one character outside GSM 03.38", () => {
    expect(smsLength(`${gsm(69)}ç`)).toMatchObject({ encoding: "UCS-2", units: 70, parts: 1 });
    expect(smsLength(`${gsm(69)}Ç`)).toMatchObject({ encoding: "GSM-7", units: 70 });
    expect(smsLength(`${gsm(69)}\t`)).toMatchObject({ encoding: "UCS-2" });
  });

  it("fits 70 in one part, 134 in two of 67 and 201 in three; 71, 135 and 202 need one more", () => {
    expect(smsLength(ucs(70))).toEqual({ encoding: "UCS-2", units: 70, parts: 1, perPartLimit: 70, maxParts: 3, fits: true });
    expect(smsLength(ucs(71))).toEqual({ encoding: "UCS-2", units: 71, parts: 2, perPartLimit: 67, maxParts: 3, fits: true });
    expect(smsLength(ucs(134))).toMatchObject({ parts: 2 });
    expect(smsLength(ucs(135))).toMatchObject({ parts: 3 });
    expect(smsLength(ucs(201))).toMatchObject({ parts: 3, fits: true });
    expect(smsLength(ucs(202))).toMatchObject({ parts: 4, fits: false });
  });

  it("counts an emoji outside the BMP as two units and never splits its surrogate pair", () => {
    expect(smsLength("🎉")).toMatchObject({ encoding: "UCS-2", units: 2 });
    expect(smsLength(`${ucs(68)}🎉`)).toMatchObject({ units: 70, parts: 1 });
    expect(smsLength(`${ucs(69)}🎉`)).toMatchObject({ units: 71, parts: 2 });
    expect(smsLength(`${ucs(66)}🎉${ucs(66)}`)).toMatchObject({ units: 134, parts: 3 });
    expect(smsLength(`${ucs(65)}🎉${ucs(67)}`)).toMatchObject({ units: 134, parts: 2 });
  });

  it("does not count a GSM extension character twice in UCS-2", () => {
    expect(smsLength("好€")).toMatchObject({ encoding: "UCS-2", units: 2 });
  });
});

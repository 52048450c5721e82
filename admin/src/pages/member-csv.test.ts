import { describe, expect, it } from "vitest";
import { chunkRows, parseMemberCsv } from "./member-csv.js";

describe("parseMemberCsv", () => {
  it("reads the header's columns in any order, quoted commas and newlines, consent words and tag lists", () => {
    const text = '\uFEFFname,externalId,joinDate,tags,consentSms,address\n"Wang, Fang",M-1,2024-01-02,interest:tea;age:25-34,是,"Line 1\nLine 2"\n李娜,M-2,2024-02-03,,0,\n';
    expect(parseMemberCsv(text)).toEqual({
      missingColumns: [],
      rows: [
        {
          externalId: "M-1",
          name: "Wang, Fang",
          phone: null,
          email: null,
          address: "Line 1\nLine 2",
          birthDate: null,
          joinDate: "2024-01-02",
          consent: { sms: true, email: false, mail: false },
          tags: ["interest:tea", "age:25-34"],
        },
        { externalId: "M-2", name: "李娜", phone: null, email: null, address: null, birthDate: null, joinDate: "2024-02-03", consent: { sms: false, email: false, mail: false }, tags: null },
      ],
    });
  });

  it("names required columns the header lacks (bad input: a file without externalId and joinDate)", () => {
    expect(parseMemberCsv("name,phone\nA,+8613800000000\n").missingColumns).toEqual(["externalId", "joinDate"]);
  });
});

describe("chunkRows", () => {
  it("keeps each chunk under the byte and row bounds, in order, losing nothing", () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ externalId: `M-${i}`, name: "名".repeat(40) }));
    const chunks = chunkRows(rows, 10_000, 300);
    expect(chunks.flat()).toEqual(rows);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(300);
      expect(new TextEncoder().encode(JSON.stringify(chunk)).length).toBeLessThanOrEqual(10_000 + chunk.length);
    }
    expect(chunks.length).toBeGreaterThan(1);
  });
});

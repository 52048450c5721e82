import { describe, expect, it } from "vitest";
import { auditCsv } from "./audit-csv.js";

const row = { id: "e1", sequence: 1, action: "outreach.requested", actorBrandId: "pieshop", targetBrandId: null, targetBrandIds: ["teabar", "stylehub"], objectId: "r1", at: "2026-12-01T00:00:00.000Z" };

describe("audit CSV export", () => {
  it("writes a header and one row per event, target brands joined", () => {
    expect(auditCsv([row])).toBe("sequence,at,action,actor_brand,target_brands,object_id,event_id\r\n1,2026-12-01T00:00:00.000Z,outreach.requested,pieshop,teabar stylehub,r1,e1\r\n");
  });

  it("quotes commas and quotes, and defuses a cell a spreadsheet would run as a formula (bad input: =HYPERLINK in an id)", () => {
    const line = auditCsv([{ ...row, objectId: '=HYPERLINK("x")', action: "a,b" }]).split("\r\n")[1];
    expect(line).toBe(`1,2026-12-01T00:00:00.000Z,"a,b",pieshop,teabar stylehub,"'=HYPERLINK(""x"")",e1`);
  });
});

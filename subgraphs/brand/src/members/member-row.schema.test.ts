import { describe, expect, it } from "vitest";
import { MemberRowSchema } from "./member-row.schema.js";

const GOOD = { externalId: "ext-1", name: "王小明", phone: "+8613812345678", email: "a@example.com", birthDate: "1990-02-28", joinDate: "2020-01-01" };

function problems(row: Record<string, unknown>): { field: string; reason: string }[] {
  const parsed = MemberRowSchema.safeParse(row);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ field: issue.path.join("."), reason: issue.message }));
}

describe("one import row", () => {
  it("accepts a full row and fills in what is left out", () => {
    expect(MemberRowSchema.parse({ externalId: " ext-2 ", name: " Li ", joinDate: "2024-02-29" })).toEqual({
      externalId: "ext-2",
      name: "Li",
      phone: null,
      email: null,
      address: null,
      birthDate: null,
      joinDate: "2024-02-29",
      consent: { sms: false, email: false, mail: false },
      tags: null,
    });
    expect(problems(GOOD)).toEqual([]);
  });

  it("names each bad field with a plain reason", () => {
    expect(problems({ ...GOOD, name: "   " })).toEqual([{ field: "name", reason: "is required" }]);
    expect(problems({ ...GOOD, phone: "13812345678" })).toEqual([{ field: "phone", reason: "must be E.164, e.g. +8613812345678" }]);
    expect(problems({ ...GOOD, email: "not-an-email" })).toEqual([{ field: "email", reason: "is not an email address" }]);
    expect(problems({ ...GOOD, birthDate: "2025-02-30" })).toEqual([{ field: "birthDate", reason: "is not a real calendar date" }]);
    expect(problems({ ...GOOD, joinDate: "2020-1-1" })).toEqual([{ field: "joinDate", reason: "must be a date YYYY-MM-DD" }]);
    expect(problems({ ...GOOD, externalId: "a b" })).toEqual([{ field: "externalId", reason: "may hold only letters, digits and _ . : -" }]);
  });

  it("names each missing required field, whether left out or null", () => {
    const { externalId: _e, name: _n, joinDate: _j, ...rest } = GOOD;
    expect(problems(rest)).toEqual([
      { field: "externalId", reason: "is required" },
      { field: "name", reason: "is required" },
      { field: "joinDate", reason: "is required" },
    ]);
    expect(problems({ ...GOOD, externalId: null, name: null, joinDate: null })).toEqual([
      { field: "externalId", reason: "is required" },
      { field: "name", reason: "is required" },
      { field: "joinDate", reason: "is required" },
    ]);
    expect(problems({ ...GOOD, name: 42 })).toEqual([{ field: "name", reason: "must be text" }]);
  });

  it("refuses year 0000, which Postgres cannot store", () => {
    expect(problems({ ...GOOD, birthDate: "0000-01-01" })).toEqual([{ field: "birthDate", reason: "must be a date YYYY-MM-DD" }]);
    expect(problems({ ...GOOD, joinDate: "0000-12-31" })).toEqual([{ field: "joinDate", reason: "must be a date YYYY-MM-DD" }]);
    expect(problems({ ...GOOD, birthDate: "0001-01-01" })).toEqual([]);
  });

  it("refuses NUL and other control characters in names and addresses, which Postgres text cannot hold", () => {
    expect(problems({ ...GOOD, name: "Li\u0000Lei" })).toEqual([{ field: "name", reason: "may not hold control characters" }]);
    expect(problems({ ...GOOD, address: "Room 1\u001b[31m" })).toEqual([{ field: "address", reason: "may not hold control characters" }]);
    expect(problems({ ...GOOD, address: "1 Road\nShanghai" })).toEqual([]);
  });
});

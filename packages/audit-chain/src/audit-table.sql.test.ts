import { describe, expect, it } from "vitest";
import { auditTableSql } from "./audit-table.sql.js";

describe("auditTableSql", () => {
  it("creates the table with its refusal triggers", () => {
    const sql = auditTableSql("platform_audit_events");
    expect(sql).toContain('CREATE TABLE "platform_audit_events"');
    expect(sql).toContain("seq bigint PRIMARY KEY");
    expect(sql).toMatch(/BEFORE UPDATE OR DELETE ON "platform_audit_events"\s+FOR EACH ROW/);
    expect(sql).toMatch(/BEFORE TRUNCATE ON "platform_audit_events"\s+FOR EACH STATEMENT/);
    expect(sql).not.toMatch(/sequence|serial|identity/i);
  });

  it.each(["", "Audit", "audit-events", "audit events", "audit;drop table x", "1audit", "public.audit", "a".repeat(49)])(
    "refuses the table name %j",
    (name) => {
      expect(() => auditTableSql(name)).toThrow(/Not a valid audit table name/);
    },
  );

  it("accepts reserved words, since the name is quoted", () => {
    expect(auditTableSql("order")).toContain('CREATE TABLE "order"');
  });
});

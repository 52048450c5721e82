import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { scramVerifier } from "./scram-verifier.js";
import { testRun } from "./testing.js";

// The oracle is PostgreSQL itself: it hashes a plain password into pg_authid, and ours, given the
// same salt, must be the same string (else every service's login would fail on a password server).
describe("scramVerifier", () => {
  it("computes what PostgreSQL stores for the same password and salt", async () => {
    const { adminUrl, runId } = testRun();
    const role = `bp_${runId}_scram_${randomBytes(3).toString("hex")}`;
    const password = randomBytes(24).toString("base64url");
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query("SET password_encryption = 'scram-sha-256'");
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
      const stored = (await client.query<{ p: string }>("SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1", [role])).rows[0]?.p ?? "";
      const salt = Buffer.from(/^SCRAM-SHA-256\$4096:([^$]+)\$/.exec(stored)?.[1] ?? "", "base64");
      expect(salt.length).toBe(16);
      expect(scramVerifier(password, salt)).toBe(stored);
      expect(scramVerifier(`${password}x`, salt)).not.toBe(stored);
    } finally {
      await client.query(`DROP ROLE IF EXISTS ${role}`);
      await client.end();
    }
  });

  it("draws a new salt each time", () => {
    expect(scramVerifier("same-password")).not.toBe(scramVerifier("same-password"));
  });
});

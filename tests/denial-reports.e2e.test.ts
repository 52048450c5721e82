import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevTokenClaims } from "@brandpool/stack";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// DESIGN.md invariant 6: a denied operation leaves one audit event per target, however many
// aliases. The gateway reports its own Cedar denials to the coordinator and to the target brand's
// node, asynchronously; each case has its own caller subject, so its events can be counted apart.

/** How long after the first report no further one may arrive (the reports are sent at once). */
const QUIET_MS = 2_000;

interface DenialRow {
  subject: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const aliases = (n: number, field: (i: number) => string) => Array.from({ length: n }, (_, i) => field(i)).join(" ");

describe("denial reports of the gateway's policy check", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const denialsOf = (database: string, subject: string) =>
    stack.sql<DenialRow>(
      database,
      "SELECT subject, payload FROM audit_events WHERE type = 'policy.denied' AND payload->>'decidedBy' = 'gateway' AND actor->>'subject' = $1 ORDER BY seq",
      [subject],
    );

  /**
   * Waits until every log in `expected` holds its count of this caller's gateway denials, then
   * waits QUIET_MS more and checks that no further one arrived, in those logs or any other.
   */
  const expectDenials = async (subject: string, expected: Record<string, number>) => {
    const databases = ["coordinator", ...stack.nodes.keys()];
    const count = async () => Object.fromEntries(await Promise.all(databases.map(async (db) => [db, (await denialsOf(db, subject)).length] as const)));
    const want = Object.fromEntries(databases.map((db) => [db, expected[db] ?? 0]));
    await eventually(async () => {
      const counts = await count();
      return Object.entries(want).every(([db, n]) => (counts[db] ?? 0) >= n) ? counts : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(await count()).toEqual(want);
  };

  const ask = (claims: DevTokenClaims, query: string) => stack.ask(claims, query);
  const codes = (answer: { errors: { extensions?: { code?: string } }[] }) => [...new Set(answer.errors.map((error) => error.extensions?.code))];

  it("leaves one denial in the platform log and one in teabar's for 15 aliases of a denied entity field", async () => {
    const caller = { brand: "pieshop", role: "analyst", subject: "alias-entity@test" } as const;
    const answer = await ask(caller, `{ ${aliases(15, (i) => `b${i}: brand(id: "teabar") { verifyAuditChain { ok } }`)} }`);
    expect(codes(answer)).toEqual(["FORBIDDEN"]);
    expect(answer.errors).toHaveLength(15);
    await expectDenials(caller.subject, { coordinator: 1, teabar: 1 });
    const [platform] = await denialsOf("coordinator", caller.subject);
    expect(platform).toMatchObject({ subject: { kind: "brand", brand: "teabar" }, payload: { action: "ReadBrandAudit" } });
    const [owner] = await denialsOf("teabar", caller.subject);
    expect(owner).toMatchObject({ subject: { kind: "brand", brand: "teabar" }, payload: { action: "ReadBrandAudit" } });
  });

  it("leaves one denial per target brand when one operation is denied at two brands", async () => {
    const caller = { brand: "pieshop", role: "analyst", subject: "two-targets@test" } as const;
    const fields = (brand: string) => aliases(5, (i) => `${brand}${i}: brand(id: "${brand}") { verifyAuditChain { ok } }`);
    const answer = await ask(caller, `{ ${fields("teabar")} ${fields("stylehub")} }`);
    expect(codes(answer)).toEqual(["FORBIDDEN"]);
    await expectDenials(caller.subject, { coordinator: 2, teabar: 1, stylehub: 1 });
    const platform = await denialsOf("coordinator", caller.subject);
    expect(platform.map((row) => row.subject.brand).sort()).toEqual(["stylehub", "teabar"]);
  });

  it("leaves one denial for 15 aliases of members asked by an approver, in the platform log and the own node's", async () => {
    const caller = { brand: "pieshop", role: "approver", subject: "alias-members@test" } as const;
    const answer = await ask(caller, `{ ${aliases(15, (i) => `m${i}: members(first: 1) { totalCount }`)} }`);
    expect(codes(answer)).toEqual(["FORBIDDEN"]);
    expect(answer.data).toBeNull();
    await expectDenials(caller.subject, { coordinator: 1, pieshop: 1 });
  });

  it("leaves one denial for 15 aliases of members asked by the platform auditor, in the platform log only", async () => {
    const caller = { role: "auditor", subject: "alias-platform@test" } as const;
    const answer = await ask(caller, `{ ${aliases(15, (i) => `m${i}: members(first: 1) { totalCount }`)} }`);
    expect(codes(answer)).toEqual(["FORBIDDEN"]);
    await expectDenials(caller.subject, { coordinator: 1 });
    const [platform] = await denialsOf("coordinator", caller.subject);
    expect(platform).toMatchObject({ subject: { kind: "platform" }, payload: { action: "ListMembers" } });
  });

  it("leaves one denial for 15 aliases of a denied mutation, and tags no member", async () => {
    const caller = { brand: "pieshop", role: "approver", subject: "alias-mutation@test" } as const;
    const before = await stack.sql("pieshop", "SELECT md5(string_agg(m::text, '' ORDER BY m.seq)) AS sum FROM members m");
    const answer = await ask(caller, `mutation { ${aliases(15, (i) => `t${i}: tagMembers(tag: "interest:pets", expression: "interest:tea") { affected }`)} }`);
    expect(codes(answer)).toEqual(["FORBIDDEN"]);
    await expectDenials(caller.subject, { coordinator: 1, pieshop: 1 });
    expect(await stack.sql("pieshop", "SELECT md5(string_agg(m::text, '' ORDER BY m.seq)) AS sum FROM members m")).toEqual(before);
  });

  it("leaves a denial for each of two denied operations of one caller (the dedupe is per operation)", async () => {
    const caller = { brand: "pieshop", role: "analyst", subject: "two-operations@test" } as const;
    for (let i = 0; i < 2; i += 1) expect(codes(await ask(caller, '{ brand(id: "teabar") { verifyAuditChain { ok } } }'))).toEqual(["FORBIDDEN"]);
    await expectDenials(caller.subject, { coordinator: 2, teabar: 2 });
  });
});

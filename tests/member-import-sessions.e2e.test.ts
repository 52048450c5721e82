import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeState } from "./support/node-state.js";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

const ANALYST = { brand: "pieshop", role: "analyst" } as const;

const BEGIN = "mutation { beginImport(kind: MEMBERS) { id } }";
const APPEND =
  "mutation($id: ID!, $rows: [MemberInput!]!) { appendImportRows(importId: $id, rows: $rows) { accepted rejected { row reason } } }";
const COMMIT = "mutation($id: ID!, $all: Boolean) { commitImport(importId: $id, allowRejected: $all) { inserted updated rejected } }";

interface Row {
  externalId?: string | null;
  name?: string | null;
  phone?: string;
  email?: string;
  joinDate?: string | null;
  tags?: string[];
}
interface Append {
  appendImportRows: { accepted: number; rejected: { row: number; reason: string }[] };
}
interface Commit {
  commitImport: { inserted: number; updated: number; rejected: number };
}

// Rows numbered across the whole session; a gateway body limit of 100,000 bytes takes a few hundred such rows per chunk.
const rows = (prefix: string, from: number, count: number): Row[] =>
  Array.from({ length: count }, (_, index) => ({ externalId: `${prefix}-${from + index}`, name: `Member ${from + index}`, joinDate: "2024-05-01" }));

describe("member import sessions: chunks staged at the node, committed whole or not at all", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const begin = async (claims: { brand: string; role: "analyst" | "admin" | "approver"; subject?: string } = ANALYST) => {
    const result = await stack.ask<{ beginImport: { id: string } }>(claims, BEGIN);
    expect(result.errors).toEqual([]);
    return result.data?.beginImport.id as string;
  };
  const append = (id: string, chunk: Row[], claims: object = ANALYST) => stack.ask<Append>(claims as typeof ANALYST, APPEND, { id, rows: chunk });
  const commit = (id: string, all?: boolean, claims: object = ANALYST) => stack.ask<Commit>(claims as typeof ANALYST, COMMIT, { id, all });
  const staged = async (id: string) =>
    (await stack.sql<{ n: number }>("pieshop", "SELECT count(*)::int AS n FROM import_session_rows WHERE import_id = $1", [id]))[0]?.n;

  it("numbers rows across chunks, names rejected rows by file row, refuses to commit them unless asked, then inserts and updates in one go", async () => {
    const [known] = await stack.sql<{ external_id: string; name: string }>("pieshop", "SELECT external_id, name FROM members ORDER BY seq LIMIT 1");
    const before = await nodeState(stack, "pieshop");
    const id = await begin();

    const first = await append(id, [...rows("SES", 1, 299), { externalId: known?.external_id, name: "Renamed By Import", joinDate: "2021-03-04", tags: ["interest:tea"] }]);
    expect(first.errors).toEqual([]);
    expect(first.data?.appendImportRows).toEqual({ accepted: 300, rejected: [] });

    // Bad input: a phone not in E.164, an externalId repeating row 1 (of the first chunk), an unknown tag, no name.
    const second = await append(id, [
      ...rows("SES", 301, 3),
      { externalId: "SES-BADPHONE", name: "Bad Phone", phone: "0571-87654321", joinDate: "2024-05-01" },
      { externalId: "SES-1", name: "Again", joinDate: "2024-05-01" },
      { externalId: "SES-TAG", name: "Odd Tag", joinDate: "2024-05-01", tags: ["nosuch:tag"] },
      { externalId: "SES-NONAME", name: null, joinDate: "2024-05-01" },
    ]);
    expect(second.errors).toEqual([]);
    expect(second.data?.appendImportRows).toEqual({
      accepted: 3,
      rejected: [
        { row: 304, reason: "phone: must be E.164, e.g. +8613812345678" },
        { row: 305, reason: "externalId: repeats row 1" },
        { row: 306, reason: 'tags: "nosuch:tag" is not in the taxonomy' },
        { row: 307, reason: "name: is required" },
      ],
    });
    // A rejected row's personal data is not echoed: the phone number is in no reason.
    expect(JSON.stringify(second)).not.toContain("87654321");
    expect(await staged(id)).toBe(303);
    // Nothing reaches the members table before the commit.
    expect(await nodeState(stack, "pieshop")).toEqual(before);

    // Bad input: committing a session with rejected rows without allowRejected.
    const refused = await commit(id);
    expect(refused.data).toBeNull();
    expect(refused.errors[0]?.extensions).toEqual({ code: "BAD_INPUT", details: { rejected: 4, accepted: 303 } });
    expect(await nodeState(stack, "pieshop")).toEqual(before);

    const done = await commit(id, true);
    expect(done.errors).toEqual([]);
    expect(done.data?.commitImport).toEqual({ inserted: 302, updated: 1, rejected: 4 });
    const after = await nodeState(stack, "pieshop");
    expect(after.members).toBe(before.members + 302);
    expect(await stack.sql("pieshop", "SELECT name, join_date::text AS join FROM members WHERE external_id = $1", [known?.external_id])).toEqual([
      { name: "Renamed By Import", join: "2021-03-04" },
    ]);
    expect(await stack.sql("pieshop", "SELECT count(*)::int AS n FROM members WHERE external_id IN ('SES-BADPHONE', 'SES-TAG', 'SES-NONAME')")).toEqual([
      { n: 0 },
    ]);
    // Staged personal data leaves with the commit.
    expect(await staged(id)).toBe(0);
    // Audited with counts only: no names, phones or external ids.
    const events = await stack.sql<{ payload: Record<string, unknown>; text: string }>(
      "pieshop",
      "SELECT payload, actor::text || subject::text || payload::text AS text FROM audit_events WHERE type = 'members.imported'",
    );
    expect(events.map((event) => event.payload)).toEqual([{ importId: id, kind: "MEMBERS", rows: 307, inserted: 302, updated: 1, rejected: 4 }]);
    expect(events[0]?.text).not.toContain("Member");
    expect(events[0]?.text).not.toContain(known?.external_id);

    // Bad input: a second commit, and an append after the commit.
    const twice = await commit(id, true);
    expect(twice.errors[0]?.extensions).toEqual({ code: "CONFLICT", details: { status: "COMMITTED" } });
    const late = await append(id, rows("LATE", 1, 1));
    expect(late.errors[0]?.extensions).toEqual({ code: "CONFLICT", details: { status: "COMMITTED" } });
    expect(await nodeState(stack, "pieshop")).toEqual(after);
  });

  it("writes nothing when the commit fails part way (one transaction over every staged row)", async () => {
    const before = await nodeState(stack, "pieshop");
    const id = await begin();
    for (const from of [1, 301]) expect((await append(id, rows("ATOM", from, 300))).data?.appendImportRows.accepted).toBe(300);
    // Bad input the node's checks cannot see: a staged row tampered in the database so that the
    // last upsert step (rows 501-600) fails after the first 500 rows were written.
    await stack.sql("pieshop", "UPDATE import_session_rows SET value = jsonb_set(value, '{joinDate}', '\"2024-13-45\"') WHERE import_id = $1 AND row = 600", [id]);
    const failed = await commit(id);
    expect(failed.data).toBeNull();
    expect(failed.errors).toHaveLength(1);
    expect(await nodeState(stack, "pieshop")).toEqual(before);
    expect(await stack.sql("pieshop", "SELECT count(*)::int AS n FROM members WHERE external_id LIKE 'ATOM-%'")).toEqual([{ n: 0 }]);
  });

  it("gives another principal, of the same brand or another, NOT_FOUND, and refuses roles that may not import", async () => {
    const id = await begin();
    expect((await append(id, rows("MINE", 1, 2))).data?.appendImportRows.accepted).toBe(2);
    const before = { pieshop: await nodeState(stack, "pieshop"), teabar: await nodeState(stack, "teabar") };
    // Bad input: the session id used by a pieshop admin, another pieshop analyst, a teabar analyst, and a made-up id.
    for (const claims of [
      { brand: "pieshop", role: "admin" },
      { brand: "pieshop", role: "analyst", subject: "someone-else" },
      { brand: "teabar", role: "analyst" },
    ]) {
      const label = JSON.stringify(claims);
      const appended = await append(id, rows("THEIRS", 1, 1), claims);
      expect(appended.errors[0]?.extensions?.code, label).toBe("NOT_FOUND");
      const committed = await commit(id, true, claims);
      expect(committed.errors[0]?.extensions?.code, label).toBe("NOT_FOUND");
    }
    for (const bad of ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "' OR 1=1 --"]) {
      expect((await append(bad, rows("X", 1, 1))).errors[0]?.extensions?.code, bad).toBe("NOT_FOUND");
      expect((await commit(bad)).errors[0]?.extensions?.code, bad).toBe("NOT_FOUND");
    }
    // Bad input: an approver of the same brand and a platform auditor may not import at all (Cedar ImportMembers).
    for (const claims of [{ brand: "pieshop", role: "approver" }, { role: "auditor" }]) {
      const label = JSON.stringify(claims);
      const begun = await stack.ask(claims as typeof ANALYST, BEGIN);
      expect(begun.errors[0]?.extensions?.code, label).toBe("FORBIDDEN");
      expect((await append(id, rows("NO", 1, 1), claims)).errors[0]?.extensions?.code, label).toBe("FORBIDDEN");
      expect((await commit(id, true, claims)).errors[0]?.extensions?.code, label).toBe("FORBIDDEN");
    }
    expect(await staged(id)).toBe(2);
    expect({ pieshop: (await nodeState(stack, "pieshop")).membersChecksum, teabar: (await nodeState(stack, "teabar")).membersChecksum }).toEqual({
      pieshop: before.pieshop.membersChecksum,
      teabar: before.teabar.membersChecksum,
    });
    // The owner still commits it.
    expect((await commit(id)).data?.commitImport).toEqual({ inserted: 2, updated: 0, rejected: 0 });
  });

  it("refuses appends and the commit of an expired session, an empty chunk and a commit of nothing", async () => {
    const id = await begin();
    expect((await append(id, rows("OLD", 1, 2))).data?.appendImportRows.accepted).toBe(2);
    // Bad input: the session's hour has passed.
    await stack.sql("pieshop", "UPDATE import_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    const before = await nodeState(stack, "pieshop");
    expect((await append(id, rows("OLD", 3, 1))).errors[0]?.extensions).toMatchObject({ code: "CONFLICT", details: { status: "EXPIRED" } });
    expect((await commit(id)).errors[0]?.extensions).toMatchObject({ code: "CONFLICT", details: { status: "EXPIRED" } });
    expect(await nodeState(stack, "pieshop")).toEqual(before);
    // A new session sweeps the expired one's staged rows.
    const next = await begin();
    expect(await staged(id)).toBe(0);
    // Bad input: an empty chunk, and a commit of a session with no rows.
    expect((await append(next, [])).errors[0]?.extensions?.code).toBe("BAD_INPUT");
    expect((await commit(next)).errors[0]?.extensions?.code).toBe("BAD_INPUT");
    expect(await nodeState(stack, "pieshop")).toEqual(before);
  });
});

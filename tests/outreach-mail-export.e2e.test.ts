import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlRequest } from "@brandpool/stack";
import type { DevTokenClaims } from "@brandpool/stack";
import { importPrivateKey, mintForwardedToken, mintNodeClientToken, serviceAudience } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { recipientsOf, requestOutreach, waitForStatus } from "./support/outreach-sending.js";

// Issue 8, item 4: direct mail is an export file that only the owner downloads. pieshop asks
// teabar for a MAIL request, teabar's approver approves it through the real mutation, teabar's
// node sends it through its pipeline into MAIL_EXPORT_DIR, one part per batch, and teabar's own
// analyst downloads the CSV through the gateway. Nobody else gets any of it: not pieshop (the
// requester), not teabar's approver or auditor, not a platform principal, not a node, not a call
// at teabar's node behind the gateway's back.

const TEABAR_ANALYST = { brand: "teabar", role: "analyst" } as const;
const TEABAR_ADMIN = { brand: "teabar", role: "admin" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
/** Above teabar's members who match and consented to mail: all of them are sent to. */
const CAP = 2_000;
const BATCH = 8;

const EXPORT = "query($requestId: ID!) { outreachMailExport(requestId: $requestId) { requestId rows csv } }";
const COPY = "query($id: ID!) { outreachRequest(id: $id) { targets { brandId copy { contentHash } } } }";
const DECIDE = `mutation($requestId: ID!, $contentHash: String!, $decision: OutreachDecision!, $cap: Int) {
  decideOutreachRequest(requestId: $requestId, contentHash: $contentHash, decision: $decision, cap: $cap) { brandId status } }`;
const HEADER = '"key","name","address_line_1","address_line_2","address_line_3","address_line_4","postal_code","city","region","country","text"\r\n';

type MailExport = { requestId: string; rows: number; csv: string };
type Answer = { data?: { outreachMailExport?: MailExport | null } | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
const codes = (answer: Answer) => (answer.errors ?? []).map((error) => error.extensions?.code);

/** The records of an RFC 4180 CSV whose fields are all quoted. */
function records(csv: string): string[][] {
  const rows: string[][] = [];
  let fields: string[] = [];
  let index = 0;
  while (index < csv.length) {
    expect(csv[index]).toBe('"');
    let value = "";
    index++;
    for (;;) {
      const quote = csv.indexOf('"', index);
      value += csv.slice(index, quote);
      if (csv[quote + 1] === '"') {
        value += '"';
        index = quote + 2;
      } else {
        index = quote + 1;
        break;
      }
    }
    fields.push(value);
    if (csv[index] === ",") index++;
    else {
      expect(csv.slice(index, index + 2)).toBe("\r\n");
      index += 2;
      rows.push(fields);
      fields = [];
    }
  }
  return rows;
}

describe("the owner's mail export", () => {
  let stack: TestStack;
  let exportDir: string;
  let requestId = "";
  let csv = "";
  let sent = 0;

  const ask = (claims: DevTokenClaims | string, query: string, variables: Record<string, unknown>) => stack.ask(claims, query, variables) as Promise<Answer>;
  const download = (claims: DevTokenClaims | string, id: string) => ask(claims, EXPORT, { requestId: id });
  const exportEvents = (brandId: string) =>
    stack.sql<{ type: string; actor: Record<string, unknown>; subject: unknown; payload: unknown }>(
      brandId,
      "SELECT type, actor, subject, payload FROM audit_events WHERE type = 'outreach.mail_exported' ORDER BY seq",
    );
  const nodeToken = async (brandId: string) => {
    const key = stack.keys.nodes[brandId]?.key;
    if (!key) throw new Error(`no node key for ${brandId}`);
    return mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", brandId);
  };
  /** At teabar's node directly, with a token the gateway minted for it (as if the gateway had let the call through). */
  const atNode = async (caller: Omit<Extract<ForwardedCaller, { kind: "user" }>, "tokenId">, id: string) =>
    (await graphqlRequest(stack.nodes.get("teabar")?.url ?? "", EXPORT, {
      token: await mintForwardedToken(await importPrivateKey(stack.keys.gateway), stack.keys.gateway.kid ?? "gateway", serviceAudience({ kind: "node", brandId: "teabar" }), {
        ...caller,
        tokenId: randomUUID(),
      }),
      variables: { requestId: id },
    })) as Answer;

  beforeAll(async () => {
    exportDir = await mkdtemp(join(tmpdir(), "bp-mail-export-"));
    stack = await startTestStack({
      nodeEnv: (brandId) => ({
        MAIL_EXPORT_DIR: join(exportDir, brandId),
        QUIET_HOURS: "none",
        SEND_BATCH_SIZE: String(BATCH),
        SEND_POLL_SECONDS: "1",
        // stylehub answers exports of at most 1 KiB: a few letters are more.
        ...(brandId === "stylehub" ? { MAIL_EXPORT_MAX_BYTES: "1024" } : {}),
      }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    if (exportDir) await rm(exportDir, { recursive: true, force: true });
  });

  it("is empty before anything was sent, then holds one row per recipient (address and coupon) once teabar's approver approved and its node sent", async () => {
    requestId = await requestOutreach(stack, ["teabar"], {
      expression: "lifecycle:new",
      channel: "MAIL",
      message: "Dear {{firstName}},\nshow code {{coupon}} at any PaiPai shop for a free pie.",
    });
    // Nothing exported yet: an empty export (the header only), not an error.
    const before = await download(TEABAR_ANALYST, requestId);
    expect(before.errors ?? []).toEqual([]);
    expect(before.data?.outreachMailExport).toEqual({ requestId, rows: 0, csv: HEADER });

    const copy = await eventually(async () => {
      const answer = await ask(TEABAR_APPROVER, COPY, { id: requestId });
      const targets = (answer.data as unknown as { outreachRequest: { targets: { brandId: string; copy: { contentHash: string } | null }[] } } | null)?.outreachRequest.targets;
      return targets?.find((target) => target.brandId === "teabar")?.copy ?? undefined;
    }, 60_000);
    const approved = await ask(TEABAR_APPROVER, DECIDE, { requestId, contentHash: copy.contentHash, decision: "APPROVE", cap: CAP });
    expect(approved.errors ?? []).toEqual([]);
    expect(approved.data).toEqual({ decideOutreachRequest: { brandId: "teabar", status: "APPROVED" } });
    expect(await waitForStatus(stack, "teabar", requestId, ["SENT", "FAILED"], 120_000)).toBe("SENT");

    const recipients = await recipientsOf(stack, "teabar", requestId);
    sent = recipients.length;
    expect(sent).toBeGreaterThan(2 * BATCH);
    expect(recipients.every((r) => r.status === "SENT")).toBe(true);
    // The pipeline wrote one part per batch, never rewriting an earlier one.
    const parts = Math.ceil(sent / BATCH);
    expect(await readdir(join(exportDir, "teabar", requestId))).toEqual(Array.from({ length: parts }, (_, index) => `${String(index + 1).padStart(6, "0")}.csv`));

    const answer = await download(TEABAR_ANALYST, requestId);
    expect(answer.errors ?? []).toEqual([]);
    const exported = answer.data?.outreachMailExport as MailExport;
    expect(exported.requestId).toBe(requestId);
    expect(exported.rows).toBe(sent);
    csv = exported.csv;
    const [header, ...rows] = records(csv);
    expect(header).toEqual(records(HEADER)[0]);
    expect(rows).toHaveLength(sent);
    // Each row is one recipient, once: its message key, its name and address, its own coupon.
    const members = await stack.sql<{ seq: number; name: string; address: string }>(
      "teabar",
      "SELECT seq, name, address FROM members WHERE seq = ANY($1::int[])",
      [recipients.map((r) => r.member_seq)],
    );
    const bySeq = new Map(members.map((m) => [m.seq, m]));
    const byKey = new Map(rows.map((row) => [row[0], row]));
    expect(byKey.size).toBe(sent);
    for (const recipient of recipients) {
      const row = byKey.get(recipient.message_key);
      const member = bySeq.get(recipient.member_seq);
      expect(row, `a row for ${recipient.message_key}`).toBeDefined();
      expect(row?.[1]).toBe(member?.name);
      expect(row?.[2]).toBe(member?.address);
      expect(row?.[10]).toContain(recipient.coupon_code);
    }
    // teabar's admin may download it too.
    const byAdmin = await download(TEABAR_ADMIN, requestId);
    expect(byAdmin.errors ?? []).toEqual([]);
    expect(byAdmin.data?.outreachMailExport?.csv).toBe(csv);
  });

  it("audits each download in the owner's log, with who and how many rows and no personal data; the platform's log holds none of it", async () => {
    const events = await exportEvents("teabar");
    expect(events.map(({ type, subject, payload }) => ({ type, subject, payload }))).toEqual([
      { type: "outreach.mail_exported", subject: { kind: "outreach-request", id: requestId }, payload: { requestId, rows: 0, bytes: Buffer.byteLength(HEADER) } },
      { type: "outreach.mail_exported", subject: { kind: "outreach-request", id: requestId }, payload: { requestId, rows: sent, bytes: Buffer.byteLength(csv) } },
      { type: "outreach.mail_exported", subject: { kind: "outreach-request", id: requestId }, payload: { requestId, rows: sent, bytes: Buffer.byteLength(csv) } },
    ]);
    expect(events.map((event) => event.actor.role)).toEqual(["analyst", "analyst", "admin"]);
    const text = JSON.stringify(events);
    for (const recipient of await recipientsOf(stack, "teabar", requestId)) {
      expect(text).not.toContain(recipient.coupon_code);
      expect(text).not.toContain(recipient.message_key);
    }
    const platform = await stack.sql("coordinator", "SELECT 1 FROM audit_events WHERE type = 'outreach.mail_exported'");
    expect(platform).toEqual([]);
  });

  it("refuses everyone but teabar's analysts and admins, and no refusal carries anything of the export", async () => {
    const eventsBefore = (await exportEvents("teabar")).length;
    const refusals: { who: string; answer: Answer; code: string }[] = [
      // The requester asks at its own node (a root field runs on the caller's node), which holds no such request.
      { who: "pieshop's analyst (the requester)", answer: await download({ brand: "pieshop", role: "analyst" }, requestId), code: "NOT_FOUND" },
      { who: "pieshop's admin", answer: await download({ brand: "pieshop", role: "admin" }, requestId), code: "NOT_FOUND" },
      { who: "pieshop's approver", answer: await download({ brand: "pieshop", role: "approver" }, requestId), code: "FORBIDDEN" },
      { who: "teabar's approver", answer: await download(TEABAR_APPROVER, requestId), code: "FORBIDDEN" },
      { who: "teabar's auditor", answer: await download({ brand: "teabar", role: "auditor" }, requestId), code: "FORBIDDEN" },
      { who: "a platform admin", answer: await download({ role: "platform-admin" }, requestId), code: "FORBIDDEN" },
      { who: "teabar's node", answer: await download(await nodeToken("teabar"), requestId), code: "FORBIDDEN" },
      { who: "pieshop's node", answer: await download(await nodeToken("pieshop"), requestId), code: "FORBIDDEN" },
      // Behind the gateway's back, at teabar's node with a token minted for it: its own Cedar check refuses.
      { who: "pieshop's analyst at teabar's node", answer: await atNode({ kind: "user", subject: "pie-analyst@test", brand: "pieshop", role: "analyst" }, requestId), code: "FORBIDDEN" },
      { who: "teabar's approver at teabar's node", answer: await atNode({ kind: "user", subject: "tea-approver@test", brand: "teabar", role: "approver" }, requestId), code: "FORBIDDEN" },
    ];
    const rows = records(csv).slice(1);
    const secrets = [...new Set(rows.flatMap((row) => [row[0], row[1], row[2]]).filter((field): field is string => Boolean(field)))];
    const coupons = (await recipientsOf(stack, "teabar", requestId)).map((r) => r.coupon_code);
    for (const { who, answer, code } of refusals) {
      expect(codes(answer), who).toEqual([code]);
      expect(answer.data?.outreachMailExport ?? null, who).toBeNull();
      const text = JSON.stringify(answer);
      for (const secret of [...secrets, ...coupons]) expect(text.includes(secret), `${who} saw ${secret}`).toBe(false);
    }
    expect(await exportEvents("teabar")).toHaveLength(eventsBefore);
  });

  it("gives typed errors and records nothing: an unknown request NOT_FOUND, a malformed id NOT_FOUND, a request on another channel BAD_INPUT", async () => {
    const emailRequest = await requestOutreach(stack, ["teabar"], { expression: "lifecycle:new", channel: "EMAIL", subject: "Pies", message: "Code {{coupon}}" });
    const eventsBefore = await stack.sql("teabar", "SELECT count(*)::int AS n FROM audit_events");
    expect(codes(await download(TEABAR_ANALYST, randomUUID()))).toEqual(["NOT_FOUND"]);
    expect(codes(await download(TEABAR_ANALYST, "../../etc/passwd"))).toEqual(["NOT_FOUND"]);
    const wrongChannel = await download(TEABAR_ANALYST, emailRequest);
    expect(codes(wrongChannel)).toEqual(["BAD_INPUT"]);
    expect(wrongChannel.data?.outreachMailExport ?? null).toBeNull();
    expect(await stack.sql("teabar", "SELECT count(*)::int AS n FROM audit_events")).toEqual(eventsBefore);
  });

  it("refuses an export above the node's MAIL_EXPORT_MAX_BYTES whole, with LIMIT_EXCEEDED and nothing of it, and records no download", async () => {
    const STYLEHUB_APPROVER = { brand: "stylehub", role: "approver" } as const;
    const big = await requestOutreach(stack, ["stylehub"], { expression: "lifecycle:new", channel: "MAIL", message: "Dear {{firstName}}, code {{coupon}}." });
    const copy = await eventually(async () => {
      const answer = await ask(STYLEHUB_APPROVER, COPY, { id: big });
      const targets = (answer.data as unknown as { outreachRequest: { targets: { brandId: string; copy: { contentHash: string } | null }[] } } | null)?.outreachRequest.targets;
      return targets?.find((target) => target.brandId === "stylehub")?.copy ?? undefined;
    }, 60_000);
    expect((await ask(STYLEHUB_APPROVER, DECIDE, { requestId: big, contentHash: copy.contentHash, decision: "APPROVE", cap: CAP })).errors ?? []).toEqual([]);
    expect(await waitForStatus(stack, "stylehub", big, ["SENT", "FAILED"], 120_000)).toBe("SENT");
    const recipients = await recipientsOf(stack, "stylehub", big);
    expect(recipients.length).toBeGreaterThan(5);
    const answer = await download({ brand: "stylehub", role: "analyst" }, big);
    expect(codes(answer)).toEqual(["LIMIT_EXCEEDED"]);
    expect(answer.data?.outreachMailExport ?? null).toBeNull();
    const text = JSON.stringify(answer);
    for (const recipient of recipients) expect(text).not.toContain(recipient.coupon_code);
    expect(await exportEvents("stylehub")).toEqual([]);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import type { DevTokenClaims } from "@brandpool/stack";
import { newCouponCode } from "@brandpool/outreach-message";
import { importPrivateKey, mintNodeClientToken } from "@brandpool/tokens";
import { CANARY_EXPRESSION, canaryFinder, importCanaries, makeCanaries } from "../support/canaries.js";
import type { Canary } from "../support/canaries.js";
import { gatewayTokenForNode } from "../support/node-state.js";
import { ESTIMATE_FIELDS } from "../support/privacy-oracle.js";
import { requestOutreach, sinkSms } from "../support/outreach-sending.js";
import { postRaw } from "../support/raw-request.js";
import type { RawAnswer } from "../support/raw-request.js";
import { approveAndSend } from "../support/seed-sent-request.js";
import { eventually, startTestStack } from "../support/test-stack.js";
import type { TestStack } from "../support/test-stack.js";

// Issue 9's adversarial suite, part one: canary members with unique strings are imported into
// teabar through its import path, messaged by a real outreach request of pieshop's, and then a
// pieshop principal tries every public path it has (through the gateway, and at the services'
// own URLs) to get any of those strings back. identities-stay-home.e2e.test.ts covers members,
// estimates and the raw fixtures; this goes through the outreach paths, audit and redemption.

const ANALYST: DevTokenClaims = { brand: "pieshop", role: "analyst", subject: "pie-analyst@canary" };
const staff = (role: "admin" | "approver" | "auditor"): DevTokenClaims => ({ brand: "pieshop", role, subject: `pie-${role}@canary` });
const K = 20;
const CANARIES = 5;

const EVENT = "id sequence action actorBrandId targetBrandId targetBrandIds objectId at";
const TARGETS = "targets { requestId brandId status reason statusAt copy { message expression contentHash } results { contacted delivered failed redeemed margin95 threshold releaseNumber releasedAt } }";
const MEMBER = "id externalId name phone email address tags";

interface Attempt {
  what: string;
  claims?: DevTokenClaims;
  /** A token of its own (a forwarded one, say) instead of a caller's for `claims`. */
  token?: string;
  /** Another URL than the gateway's (a node's or the coordinator's own). */
  url?: string;
  body: unknown;
  /** The error codes the attempt must get, in order; [] when it must succeed. `status` when it is refused before GraphQL. */
  codes: string[];
  status?: number;
  /** The `reason` a BAD_INPUT's details must name. */
  reason?: string;
}

describe("canaries: nothing of teabar's canary members reaches any pieshop principal", () => {
  let stack: TestStack;
  let sms: SmsSink;
  let sinkDir: string;
  let canaries: Canary[];
  let memberIds: string[];
  let find: (text: string) => string[];
  let requestId: string;
  let canaryCodes: string[];

  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "brandpool-canaries-"));
    sms = await startSmsSink({ dir: sinkDir });
    stack = await startTestStack({
      kThreshold: K,
      nodeEnv: () => ({ OUTREACH_RESULTS_SECONDS: "1", SMS_WEBHOOK_URL: sms.url, SEND_POLL_SECONDS: "1", QUIET_HOURS: "none" }),
    });
    canaries = makeCanaries(CANARIES);
    memberIds = await importCanaries(stack, "teabar", canaries);
    find = canaryFinder("teabar", canaries, memberIds);
    // pieshop's real request to teabar for exactly the canaries' tags, with their first names in the text.
    requestId = await requestOutreach(stack, ["teabar"], {
      expression: CANARY_EXPRESSION,
      channel: "SMS",
      message: "PaiPai: {{firstName}}, a pie on us with code {{coupon}}",
      maxRecipientsPerBrand: 200,
    });
    const sent = await approveAndSend(stack, "teabar", requestId, 200);
    const canarySeqs = await stack.sql<{ seq: number }>("teabar", "SELECT seq FROM members WHERE id = ANY($1::uuid[])", [memberIds]);
    canaryCodes = canarySeqs.map((row) => sent.recipients.find((r) => r.memberSeq === row.seq)?.couponCode as string);
    // Every canary was messaged: its own strings really went out of teabar, to teabar's channel.
    expect(canaryCodes.every(Boolean)).toBe(true);
    const delivered = (await sinkSms(sinkDir)).map((message) => message.to);
    for (const canary of canaries) expect(delivered).toContain(canary.phone);
    // The first results release has reached the coordinator.
    await eventually(async () => {
      const [row] = await stack.sql("coordinator", "SELECT 1 FROM outreach_target_results WHERE request_id = $1", [requestId]);
      return row ? true : undefined;
    }, 60_000);
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    await sms?.close();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  const answers: { what: string; answer: RawAnswer }[] = [];
  async function run(attempt: Attempt): Promise<RawAnswer> {
    const token = attempt.token ?? (await stack.token(attempt.claims ?? ANALYST));
    const answer = await postRaw(attempt.url ?? stack.gatewayUrl, token, attempt.body);
    answers.push({ what: attempt.what, answer });
    return answer;
  }
  async function runAll(attempts: Attempt[]): Promise<void> {
    const outcomes = [];
    for (const attempt of attempts) {
      const answer = await run(attempt);
      const reasons = attempt.reason ? { reason: /"reason":"([A-Z_]+)"/.exec(answer.raw)?.[1] } : {};
      outcomes.push({ what: attempt.what, codes: answer.codes, ...(attempt.status ? { status: answer.status } : {}), ...reasons });
    }
    // Each attempt got the answer it should: the battery really ran (no limit or typo ate it).
    expect(outcomes).toEqual(
      attempts.map((attempt) => ({ what: attempt.what, codes: attempt.codes, ...(attempt.status ? { status: attempt.status } : {}), ...(attempt.reason ? { reason: attempt.reason } : {}) })),
    );
  }
  const q = (query: string, variables: Record<string, unknown> = {}) => ({ query, variables });

  it("answers members, brand(id:), _entities, aliases, fragments, batches, introspection and bad queries without a canary string", async () => {
    await runAll([
      { what: "pieshop's members of the canaries' tags", body: q(`{ members(first: 100, expression: "${CANARY_EXPRESSION}") { totalCount edges { node { ${MEMBER} } } } }`), codes: [] },
      { what: "teabar's brand with an estimate of the canaries' tags and pieshop's budget there", body: q(`{ brand(id: "teabar") { id name nameZh audienceEstimate(expression: "${CANARY_EXPRESSION}", channel: SMS) { ${ESTIMATE_FIELDS} } privacyBudget { epsilonTotal epsilonSpent epsilonRemaining periodEnd } } }`), codes: [] },
      { what: "members as a field of teabar's Brand", body: q(`{ brand(id: "teabar") { members(first: 5) { edges { node { ${MEMBER} } } } } }`), codes: ["BAD_INPUT"] },
      { what: "a hand-written _entities fetch of teabar's Brand with an estimate", body: q(`{ _entities(representations: [{ __typename: "Brand", id: "teabar" }]) { ... on Brand { id audienceEstimate(expression: "${CANARY_EXPRESSION}") { count } } } }`), codes: ["BAD_INPUT"] },
      { what: "a hand-written _entities fetch of teabar's OutreachTarget copy and reason", body: q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on OutreachTarget { status reason copy { message } } } }`, { r: [{ __typename: "OutreachTarget", requestId, brandId: "teabar" }] }), codes: ["BAD_INPUT", "BAD_INPUT"] },
      { what: "_service SDL", body: q("{ _service { sdl } }"), codes: ["BAD_INPUT"] },
      { what: "aliases of teabar's brand, estimates and request", body: q(`{ a: brand(id: "teabar") { x: audienceEstimate(expression: "${CANARY_EXPRESSION}", channel: SMS) { count } y: audienceEstimate(expression: "${CANARY_EXPRESSION}", channel: EMAIL) { count } } b: outreachRequest(id: "${requestId}") { t: targets { s: status c: copy { m: message } r: reason } } }`), codes: [] },
      { what: "fragments over Brand and OutreachTarget", body: q(`fragment B on Brand { id audienceEstimate(expression: "${CANARY_EXPRESSION}", channel: MAIL) { count } } fragment T on OutreachTarget { brandId status reason copy { message } results { contacted } } { brand(id: "teabar") { ...B } outreachRequest(id: "${requestId}") { targets { ...T ... on OutreachTarget { statusAt } } } }`), codes: [] },
      { what: "an array of two operations", body: [q(`{ members(first: 3) { edges { node { name } } } }`), q(`{ brand(id: "teabar") { id } }`)], codes: ["LIMIT_EXCEEDED"] },
      { what: "introspection of Member, OutreachRecipient and the whole schema", body: q(`{ m: __type(name: "Member") { fields { name description } } r: __type(name: "OutreachRecipient") { fields { name } } __schema { types { name fields { name args { name defaultValue } } } } }`), codes: [] },
      { what: "a syntax error", body: q(`{ brand(id: "teabar") { audienceEstimate(expression: "${CANARY_EXPRESSION}" { count } } }`), codes: ["BAD_INPUT"] },
      { what: "an unknown field of a foreign copy", body: q(`{ outreachRequest(id: "${requestId}") { targets { copy { recipients { phone } } } } }`), codes: ["BAD_INPUT"] },
      { what: "a variable of the wrong type", body: q("query($id: ID!) { outreachRequest(id: $id) { id } }", { id: { phone: 1 } }), codes: ["BAD_INPUT"] },
      { what: "an estimate with a broken expression naming the canaries' tags", body: q(`{ brand(id: "teabar") { audienceEstimate(expression: "${CANARY_EXPRESSION} and (") { count } } }`), codes: ["BAD_EXPRESSION"] },
      { what: "an estimate of a tag outside the taxonomy, refused by teabar's node", body: q('{ brand(id: "teabar") { audienceEstimate(expression: "interest:gaming and brand:teabar") { count } } }'), codes: ["UNKNOWN_TAG"] },
      { what: "an estimate of a sensitive tag", body: q('{ brand(id: "teabar") { audienceEstimate(expression: "interest:gaming and health:pregnant") { count } } }'), codes: ["SENSITIVE_TAG"] },
      { what: "an estimate at a brand that does not exist", body: q('{ brand(id: "canarybar") { id audienceEstimate(expression: "interest:gaming") { count } } }'), codes: ["NOT_FOUND"] },
      { what: "pieshop's own deliveries of teabar's request", body: q(`query($id: ID!) { outreachDeliveries(requestId: $id, first: 100) { edges { node { couponCode member { ${MEMBER} } } } } }`, { id: requestId }), codes: ["NOT_FOUND"] },
      { what: "pieshop's own mail export of teabar's request", body: q(`query($id: ID!) { outreachMailExport(requestId: $id) { rows csv } }`, { id: requestId }), codes: ["NOT_FOUND"] },
      { what: "teabar's audit log and export as pieshop's analyst", body: q(`{ brand(id: "teabar") { auditEvents(first: 20) { edges { node { ${EVENT} } } } auditExport(first: 10) { lines } } }`), codes: ["FORBIDDEN"] },
      ...(["admin", "approver", "auditor"] as const).map((role): Attempt => ({
        what: `teabar's audit log, export and chain as pieshop's ${role}`,
        claims: staff(role),
        body: q(`{ brand(id: "teabar") { auditEvents(first: 20) { edges { node { ${EVENT} } } } auditExport(first: 10) { lines } verifyAuditChain { ok } } }`),
        codes: ["FORBIDDEN"],
      })),
      { what: "pieshop's own node log and export as its auditor", claims: staff("auditor"), body: q(`{ brand(id: "pieshop") { auditEvents(first: 100) { edges { node { ${EVENT} } } } auditExport(first: 200) { lines } } }`), codes: [] },
      { what: "the platform export as pieshop's auditor", claims: staff("auditor"), body: q("{ auditExport(first: 100) { lines } }"), codes: ["FORBIDDEN"] },
      { what: "viewer, brands and tags", body: q("{ viewer { kind subject brandId role } brands { id name nameZh admitted timeZone } tags { key labelZh labelEn } }"), codes: [] },
    ]);
  });

  it("answers the request, its decisions, results and redemptions without a canary string", async () => {
    await runAll([
      { what: "the request as its requester", body: q(`query($id: ID!) { outreachRequest(id: $id) { id status expression message contentHash ${TARGETS} } }`, { id: requestId }), codes: [] },
      { what: "outgoing requests", body: q(`{ outreachRequests(direction: OUTGOING, first: 50) { edges { node { id ${TARGETS} } } } }`), codes: [] },
      { what: "incoming requests at pieshop", claims: staff("approver"), body: q(`{ outreachRequests(direction: INCOMING, first: 50) { edges { node { id ${TARGETS} } } } }`), codes: [] },
      ...(["approver", "admin"] as const).map((role): Attempt => ({
        what: `a decision for teabar by pieshop's ${role}`,
        claims: staff(role),
        body: q("mutation($id: ID!) { decideOutreachRequest(requestId: $id, contentHash: \"x\", decision: DECLINE) { brandId status reason } }", { id: requestId }),
        codes: ["NOT_FOUND"],
      })),
      { what: "a canary's real coupon redeemed", body: q("mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }", { id: requestId, code: canaryCodes[0] }), codes: [] },
      { what: "the same coupon again", body: q("mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }", { id: requestId, code: canaryCodes[0] }), codes: [] },
      { what: "an invented coupon", body: q("mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }", { id: requestId, code: newCouponCode() }), codes: [] },
      { what: "a malformed coupon", body: q("mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }", { id: requestId, code: "NOT A CODE" }), codes: ["BAD_INPUT"] },
      { what: "teabar's node's coupon question asked directly", body: q('query($id: ID!, $code: String!) { brand(id: "teabar") { redeemIssuedCoupon(requestId: $id, code: $code, requesterBrandId: "pieshop") { outcome } } }', { id: requestId, code: canaryCodes[1] }), codes: ["FORBIDDEN"] },
      { what: "a reconciliation of the request as pieshop's auditor", claims: staff("auditor"), body: q("query($id: ID!) { reconcileOutreachRequest(requestId: $id) { ok mismatches targets { brandId ownerEvents } } }", { id: requestId }), codes: ["FORBIDDEN"] },
      // Messages that would hand a canary's name or code to pieshop's server when the canary taps a
      // link phones make of the text (a bare host with a port, a bare IPv4 address, a host after a broken
      // scheme): refused at creation.
      ...[
        ["a name after a bare host with a port", "PaiPai: pieshop.example:8080/hi?n={{firstName}} {{coupon}}", "FIRST_NAME_IN_LINK"],
        ["a coupon after a bare IPv4 address", "PaiPai: 203.0.113.7/c/{{coupon}}", "COUPON_IN_LINK"],
        ["a coupon after a host with a broken scheme", "PaiPai: http:/pieshop.example/{{coupon}}", "COUPON_IN_LINK"],
      ].map(([what, message, reason]): Attempt => ({
        what: `a request whose message puts ${what}`,
        body: q("mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id } }", {
          input: { targetBrandIds: ["teabar"], expression: CANARY_EXPRESSION, channel: "SMS", message, purpose: "Partner offer", maxRecipientsPerBrand: 100, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
        }),
        codes: ["BAD_INPUT"],
        reason,
      })),
      { what: "a cancellation after sending", body: q("mutation($id: ID!) { cancelOutreachRequest(requestId: $id) { id } }", { id: requestId }), codes: ["CONFLICT"] },
    ]);
    // The requester sees teabar's status and noisy results, never its copy or a reason.
    const view = answers.find((entry) => entry.what === "the request as its requester")?.answer.raw ?? "";
    const [target] = (JSON.parse(view) as { data: { outreachRequest: { targets: { status: string; reason: unknown; copy: unknown; results: { releaseNumber: number } | null }[] } } }).data.outreachRequest.targets;
    expect(target).toMatchObject({ status: "SENT", reason: null, copy: null, results: { releaseNumber: 1 } });
    // The redemption was real: teabar counted the canary's code.
    expect(await stack.sql("teabar", "SELECT 1 FROM outreach_recipients WHERE coupon_code = $1 AND redeemed_at IS NOT NULL", [canaryCodes[0]])).toHaveLength(1);
  });

  it("answers every other root field a pieshop principal may call, as a person or as pieshop's node, without a canary string", async () => {
    const key = stack.keys.nodes.pieshop?.key;
    if (!key) throw new Error("no node key for pieshop");
    const asNode = async () => mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", "pieshop");
    const admin = staff("admin");
    const auditorOfPieshop = staff("auditor");
    await runAll([
      { what: "a second request to teabar for the canaries' tags, as created", body: q("mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id status expression contentHash targets { brandId status statusAt } } }", {
        input: { targetBrandIds: ["teabar"], expression: CANARY_EXPRESSION, channel: "EMAIL", subject: "Pies", message: "PaiPai: {{firstName}}, {{coupon}}", purpose: "Partner offer", maxRecipientsPerBrand: 100, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
      }), codes: [] },
      { what: "pieshop's budgets and pool cap", claims: admin, body: q("{ privacyBudgets { requesterBrandId epsilonSpent } poolBudget { epsilonSpent } }"), codes: [] },
      { what: "pieshop's outbox refusals", claims: admin, body: q("{ outboxRefusals(first: 100) { edges { node { id type reason message } } } }"), codes: [] },
      { what: "the platform chain as pieshop's auditor", claims: auditorOfPieshop, body: q("{ verifyAuditChain { ok checked } }"), codes: ["FORBIDDEN"] },
      { what: "the routing table", claims: admin, body: q("{ routingTable { id nodeUrl } }"), codes: ["FORBIDDEN"] },
      { what: "teabar's inbox as a person", claims: admin, body: q("{ outreachInbox(first: 50) { deliveries { requestId message expression } } }"), codes: ["FORBIDDEN"] },
      { what: "an acknowledgement for teabar's copy as a person", claims: admin, body: q("mutation($id: ID!) { acknowledgeOutreach(requestId: $id, version: 1) }", { id: requestId }), codes: ["FORBIDDEN"] },
      { what: "teabar's events forged by a person", claims: admin, body: q("mutation($e: [NodeEventInput!]!) { recordNodeEvents(events: $e) { recorded outcomes { id status reason message } } }", { e: [{ id: "00000000-0000-4000-8000-000000000001", type: "estimate.answered", payload: { owner: "teabar" } }] }), codes: ["FORBIDDEN"] },
      { what: "pieshop's own inbox as its node", token: await asNode(), body: q("{ outreachInbox(first: 50) { deliveries { requestId message expression } } }"), codes: [] },
      { what: "teabar's copy acknowledged by pieshop's node", token: await asNode(), body: q("mutation($id: ID!) { acknowledgeOutreach(requestId: $id, version: 1) }", { id: requestId }), codes: ["NOT_FOUND"] },
      { what: "teabar's statuses forged by pieshop's node", token: await asNode(), body: q("mutation($e: [NodeEventInput!]!) { recordNodeEvents(events: $e) { recorded outcomes { id status reason message } } }", { e: [{ id: "00000000-0000-4000-8000-000000000002", type: "outreach.status", payload: { requestId, requester: "pieshop", status: "SENT", target: "teabar" } }] }), codes: [] },
      { what: "teabar's estimate, request and audit log as pieshop's node", token: await asNode(), body: q(`query($id: ID!) { brand(id: "teabar") { audienceEstimate(expression: "${CANARY_EXPRESSION}") { count } auditEvents(first: 10) { edges { node { id } } } } outreachRequest(id: $id) { ${TARGETS} } }`, { id: requestId }), codes: ["FORBIDDEN"] },
      { what: "pieshop's members as its node", token: await asNode(), body: q(`{ members(first: 10) { edges { node { ${MEMBER} } } } }`), codes: ["FORBIDDEN"] },
    ]);
    // The forged status was answered, and refused: it names teabar, and a node reports its own target only.
    const forged = answers.find((entry) => entry.what === "teabar's statuses forged by pieshop's node")?.answer.raw ?? "";
    expect(JSON.parse(forged)).toEqual({ data: { recordNodeEvents: { recorded: 0, outcomes: [{ id: "00000000-0000-4000-8000-000000000002", status: "REFUSED", reason: "OTHER_BRAND", message: expect.any(String) }] } } });
    expect(await stack.sql("coordinator", "SELECT status FROM outreach_targets WHERE request_id = $1", [requestId])).toEqual([{ status: "SENT" }]);
  });

  it("gives pieshop's auditor the platform log of its own brand's events without a canary string", async () => {
    const pages: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const answer: RawAnswer = await run({
        what: `platform audit page ${page + 1}`,
        claims: staff("auditor"),
        body: q(`query($after: String) { auditEvents(first: 100, after: $after) { edges { node { ${EVENT} } } pageInfo { hasNextPage endCursor } } }`, { after }),
        codes: [],
      });
      expect(answer.codes).toEqual([]);
      pages.push(answer.raw);
      const info = (JSON.parse(answer.raw) as { data: { auditEvents: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } }).data.auditEvents.pageInfo;
      if (!info.hasNextPage) break;
      after = info.endCursor;
    }
    // It did see the outreach: the request, teabar's statuses and its results release.
    const actions = pages.join("\n");
    for (const action of ["outreach.requested", "node.outreach.status", "node.outreach.results", "outreach.coupon_redeemed"]) expect(actions).toContain(action);
  });

  it("refuses pieshop's tokens at the services' own URLs", async () => {
    const teabar = stack.nodes.get("teabar")?.url as string;
    const pieshopNode = stack.nodes.get("pieshop")?.url as string;
    const members = q(`{ members(first: 100) { edges { node { ${MEMBER} } } } }`);
    const forPieshopNode = await gatewayTokenForNode(stack, "pieshop", "pieshop");
    await runAll([
      { what: "pieshop's caller token at teabar's node", url: teabar, body: members, codes: ["UNAUTHENTICATED"], status: 401 },
      { what: "pieshop's caller token at teabar's node, _entities", url: teabar, body: q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on OutreachTarget { reason copy { message } } } }`, { r: [{ __typename: "OutreachTarget", requestId, brandId: "teabar" }] }), codes: ["UNAUTHENTICATED"], status: 401 },
      { what: "a forwarded token for pieshop's node at teabar's node", token: forPieshopNode, url: teabar, body: members, codes: ["UNAUTHENTICATED"], status: 401 },
      { what: "pieshop's caller token at the coordinator", url: stack.coordinator.url, body: q("{ auditEvents(first: 100) { edges { node { id } } } }"), codes: ["UNAUTHENTICATED"], status: 401 },
      { what: "no token at teabar's node", token: "", url: teabar, body: members, codes: ["UNAUTHENTICATED"], status: 401 },
      // What the gateway would mint for teabar's node on pieshop's behalf: the node's own Cedar check refuses it.
      { what: "a forwarded pieshop token for teabar's node, members", token: await gatewayTokenForNode(stack, "teabar", "pieshop"), url: teabar, body: members, codes: ["FORBIDDEN"] },
      { what: "pieshop's forwarded token at its own node, for teabar's deliveries", token: await gatewayTokenForNode(stack, "pieshop", "pieshop"), url: pieshopNode, body: q(`query($id: ID!) { outreachDeliveries(requestId: $id) { edges { node { member { ${MEMBER} } } } } }`, { id: requestId }), codes: ["NOT_FOUND"] },
    ]);
    // The node's opt-out routes answer the public (a recipient's mail client), without a token:
    // an invented unsubscribe token is NOT_FOUND, and shows nothing of anyone.
    const base = teabar.replace(/\/graphql$/, "");
    for (const method of ["GET", "POST"]) {
      const response = await fetch(`${base}/unsubscribe/${"A".repeat(43)}`, { method });
      const raw = await response.text();
      answers.push({ what: `${method} an invented unsubscribe link at teabar's node`, answer: { status: response.status, raw, codes: [] } });
      expect(response.status).toBe(404);
    }
  });

  it("leaves no canary string in anything pieshop received, nor in the coordinator's or pieshop's databases, nor in any service's output", async () => {
    expect(answers.length).toBeGreaterThan(40);
    // The finder finds the canaries where they belong: in teabar's own reading of its members.
    const own = await postRaw(stack.gatewayUrl, await stack.token({ brand: "teabar", role: "analyst" }), q(`{ members(first: 100, expression: "${CANARY_EXPRESSION}") { edges { node { ${MEMBER} } } } }`));
    expect(find(own.raw).length).toBeGreaterThanOrEqual(CANARIES * 5);
    const leaks = answers.map((entry) => ({ what: entry.what, leaked: find(entry.answer.raw) })).filter((entry) => entry.leaked.length > 0);
    // Every table of the coordinator's and pieshop's databases, row by row as JSON.
    for (const database of ["coordinator", "pieshop"]) {
      const tables = await stack.sql<{ name: string }>(database, "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
      expect(tables.length).toBeGreaterThan(5);
      for (const { name } of tables) {
        const rows = await stack.sql<{ row: string }>(database, `SELECT row_to_json(t)::text AS row FROM ${name} t`);
        const leaked = find(rows.map((row) => row.row).join("\n"));
        if (leaked.length > 0) leaks.push({ what: `${database} ${name}`, leaked });
      }
    }
    // No exact figure of the canaries' request reaches the platform log either: what teabar pushed
    // about it holds statuses and released figures only (the owner's own log keeps the exact ones).
    const pushed = await stack.sql<{ type: string; payload: Record<string, unknown> }>(
      "coordinator",
      "SELECT type, payload FROM audit_events WHERE type LIKE 'node.outreach.%' AND payload->>'requestId' = $1",
      [requestId],
    );
    expect(new Set(pushed.map((event) => event.type))).toEqual(new Set(["node.outreach.status", "node.outreach.results"]));
    const allowed = ["requestId", "requester", "status", "nodeEventId", "releaseNumber", "released", "threshold", "commitment"];
    for (const event of pushed) expect(Object.keys(event.payload).filter((field) => !allowed.includes(field))).toEqual([]);
    // What every service printed: the gateway saw the canaries go by (teabar's import, teabar's
    // reading), and logs neither variables nor bodies; the nodes log only the error kind.
    for (const service of [stack.gateway, stack.coordinator, ...stack.nodes.values()]) {
      const leaked = find(service.output());
      if (leaked.length > 0) leaks.push({ what: `${service.name}'s output`, leaked });
    }
    expect(leaks).toEqual([]);
  });
});

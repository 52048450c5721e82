import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import type { Page } from "playwright-core";
import { REPO_ROOT } from "@brandpool/stack";
import { browserTestsSkipReason, launchChromium, newPage, seriousViolations, signInAs } from "./support/browser.js";
import type { BrowserSession, RecordedResponse } from "./support/browser.js";
import { memberGlobalId, secretFinder } from "./support/secret-finder.js";
import { requestOutreach, targetStatus, waitForStatus } from "./support/outreach-sending.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 10: the admin UI in a real browser (Debian's Chromium driven by playwright-core) against
// the real stack. The gateway serves the built UI at /admin; the UI talks only to its GraphQL.

const skip = browserTestsSkipReason();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe.skipIf(skip !== null)("the admin UI in a browser", () => {
  let stack: TestStack;
  let sms: SmsSink;
  let sinkDir: string;
  let chromium: BrowserSession;
  let base: string;
  let approvedRequestId: string | undefined;

  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "bp-admin-ui-"));
    sms = await startSmsSink({ dir: sinkDir });
    stack = await startTestStack({
      kThreshold: 20,
      nodeEnv: () => ({ SMS_WEBHOOK_URL: sms.url, SEND_POLL_SECONDS: "1", QUIET_HOURS: "none", OUTREACH_LINK_DOMAINS: "pie.example", OUTREACH_RESULTS_SECONDS: "1" }),
    });
    base = stack.gatewayUrl.replace(/\/graphql$/, "");
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
    await sms?.close();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  it("serves the UI at /admin with its content types and cache headers, and sends a browser at / there", async () => {
    const root = await fetch(`${base}/`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/admin/");
    const index = await fetch(`${base}/admin/`);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${base}${script}`);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // The UI routes in the browser: any page under /admin is index.html; a missing asset is 404.
    const deep = await fetch(`${base}/admin/inbox`);
    expect(await deep.text()).toBe(html);
    expect((await fetch(`${base}/admin/assets/nothing-here.js`)).status).toBe(404);
    // Bad input: a path that climbs out of the build folder.
    const climb = await fetch(`${base}/admin/%2e%2e/%2e%2e/package.json`);
    expect(await climb.text()).not.toContain("\"workspaces\"");
    // A client that is not a browser still gets the JSON answer at /.
    expect((await fetch(`${base}/`, { redirect: "manual" })).status).toBe(404);
  });

  it("a teabar approver approves a pieshop request, and pieshop's analyst sees it approved and then sent", async () => {
    const requestId = await requestOutreach(stack, ["teabar"], {
      expression: "age:25-34 and not lifecycle:churned",
      channel: "SMS",
      message: "Show {{coupon}} at PaiPai for a free pie: https://pie.example/offer",
      maxRecipientsPerBrand: 40,
      // Sending waits until then, so the requester's page can be seen at APPROVED first.
      sendAfter: new Date(Date.now() + 40_000).toISOString(),
      expiresAt: inDays(7),
    });
    approvedRequestId = requestId;
    const approver = await newPage(chromium);
    await signInAs(approver, base, "teabar", "approver");
    await expect.poll(() => approver.getByTestId("identity").textContent()).toContain("Approver");
    const card = approver.getByTestId(`incoming-${requestId}`);
    await card.waitFor();
    // The expression in words, with the taxonomy's labels; the link highlighted.
    expect(await card.getByTestId("expression-words").textContent()).toMatch(/25.34.* and not /);
    expect(await card.locator("mark.link").textContent()).toBe("https://pie.example/offer");
    await card.getByRole("button", { name: "Approve…" }).click();
    await card.getByTestId("lower-cap").fill("30");
    expect(await card.getByTestId("approve-confirmation").textContent()).toBe("Approve: up to 30 of your members will be contacted by SMS.");
    await card.getByRole("button", { name: "Approve and contact up to 30" }).click();
    await card.getByText("Decision recorded: Approved.").waitFor();
    expect(await targetStatus(stack, "teabar", requestId)).not.toBe("PENDING");
    const [copy] = await stack.sql<{ approved_cap: number }>("teabar", "SELECT approved_cap FROM incoming_requests WHERE request_id = $1", [requestId]);
    expect(copy?.approved_cap).toBe(30);

    const analyst = await newPage(chromium);
    await signInAs(analyst, base, "pieshop", "analyst");
    await analyst.getByRole("link", { name: "Requests" }).click();
    // The request may not be sent before sendAfter: pieshop's page shows it approved first.
    const target = analyst.getByTestId(`outgoing-${requestId}`).getByTestId("target-teabar");
    await expect.poll(async () => { await analyst.reload(); return target.textContent(); }, { timeout: 20_000, interval: 1_000 }).toContain("Approved");
    expect(await targetStatus(stack, "teabar", requestId)).toBe("APPROVED");
    await waitForStatus(stack, "teabar", requestId, ["SENT"]);
    await expect.poll(async () => { await analyst.reload(); return target.textContent(); }, { timeout: 30_000, interval: 1_000 }).toContain("Sent");
    await approver.context().close();
    await analyst.context().close();
  });

  it("a decline takes a reason, which the owner keeps and the requester never sees", async () => {
    const requestId = await requestOutreach(stack, ["teabar"], {
      expression: "lifecycle:new",
      channel: "SMS",
      message: "Welcome offer {{coupon}}",
      expiresAt: inDays(7),
    });
    const approver = await newPage(chromium);
    await signInAs(approver, base, "teabar", "approver");
    const card = approver.getByTestId(`incoming-${requestId}`);
    await card.getByRole("button", { name: "Decline…" }).click();
    // Bad input: declining without a reason is refused in place, and nothing is decided.
    await card.getByRole("button", { name: "Decline this request" }).click();
    await card.getByText("Give a reason.").waitFor();
    expect(await targetStatus(stack, "teabar", requestId)).toBe("PENDING");
    await card.getByTestId("decline-reason").fill("Not our season");
    await card.getByRole("button", { name: "Decline this request" }).click();
    await card.getByText("Decision recorded: Declined.").waitFor();
    expect(await targetStatus(stack, "teabar", requestId)).toBe("DECLINED");
    const [copy] = await stack.sql<{ reason: string }>("teabar", "SELECT decline_reason AS reason FROM incoming_requests WHERE request_id = $1", [requestId]);
    expect(copy?.reason).toBe("Not our season");
    // The owner's page shows its reason; the requester's answer has none.
    await approver.reload();
    await approver.getByTestId(`incoming-${requestId}`).getByText("Your reason: Not our season").waitFor();
    const seen = await stack.ask<{ outreachRequest: { targets: { brandId: string; status: string; reason: string | null }[] } }>(
      { brand: "pieshop", role: "analyst" },
      "query($id: ID!) { outreachRequest(id: $id) { targets { brandId status reason } } }",
      { id: requestId },
    );
    await eventually(async () => {
      const again = await stack.ask<{ outreachRequest: { targets: { status: string }[] } }>({ brand: "pieshop", role: "analyst" }, "query($id: ID!) { outreachRequest(id: $id) { targets { status } } }", { id: requestId });
      return again.data?.outreachRequest.targets[0]?.status === "DECLINED" ? true : undefined;
    });
    expect(seen.data?.outreachRequest.targets[0]?.reason ?? null).toBeNull();
    await approver.context().close();
  });

  it("works from the keyboard alone: skip link first, then a decline reached, reasoned and sent with Tab and Enter", async () => {
    const requestId = await requestOutreach(stack, ["teabar"], { expression: "lifecycle:new", channel: "SMS", message: "Keyboard offer {{coupon}}", expiresAt: inDays(7) });
    const page = await newPage(chromium);
    await signInAs(page, base, "teabar", "approver");
    await page.getByTestId(`incoming-${requestId}`).waitFor();
    const focused = () => page.evaluate(() => {
      const active = (globalThis as unknown as { document: { activeElement: { textContent: string | null; closest(s: string): { getAttribute(n: string): string | null } | null } | null } }).document.activeElement;
      return { text: active?.textContent?.trim() ?? "", card: active?.closest("[data-testid^=incoming-]")?.getAttribute("data-testid") ?? null };
    });
    await page.locator("body").focus();
    await page.keyboard.press("Tab");
    expect((await focused()).text).toBe("Skip to content");
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press("Tab");
      const now = await focused();
      found = now.text === "Decline…" && now.card === `incoming-${requestId}`;
    }
    expect(found).toBe(true);
    await page.keyboard.press("Enter");
    // The reason field takes the focus; Tab reaches the confirming button.
    await page.keyboard.type("Declined from the keyboard");
    await page.keyboard.press("Tab");
    expect((await focused()).text).toBe("Decline this request");
    await page.keyboard.press("Enter");
    await page.getByTestId(`incoming-${requestId}`).getByText("Decision recorded: Declined.").waitFor();
    expect(await targetStatus(stack, "teabar", requestId)).toBe("DECLINED");
    await page.context().close();
  });

  it("offers the demo identities only through the development route, and refuses bad requests for a token", async () => {
    const listed = (await (await fetch(`${base}/dev/identities`)).json()) as { identities: { brand: string | null; role: string }[] };
    expect(listed.identities).toContainEqual({ brand: "teabar", role: "approver" });
    expect(listed.identities).toContainEqual({ brand: null, role: "auditor" });
    // Bad input: an unknown brand, a platform role for a brand, a form post (no JSON), no body.
    const post = (body: string, type = "application/json") => fetch(`${base}/dev/token`, { method: "POST", headers: { "content-type": type }, body });
    for (const response of [
      await post(JSON.stringify({ brand: "nobrand", role: "analyst" })),
      await post(JSON.stringify({ brand: "teabar", role: "platform-admin" })),
      await post(JSON.stringify({ brand: null, role: "admin" })),
      await post("brand=teabar&role=admin", "application/x-www-form-urlencoded"),
      await post("{"),
    ]) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe("BAD_INPUT");
    }
    const minted = (await (await post(JSON.stringify({ brand: "teabar", role: "analyst" }))).json()) as { token: string };
    const viewer = await stack.ask<{ viewer: { brandId: string; role: string } }>(minted.token, "{ viewer { brandId role } }");
    expect(viewer.data?.viewer).toEqual({ brandId: "teabar", role: "analyst" });
  });

  it("shows a bad expression's error beside the field, with its position, as it is typed", async () => {
    const page = await newPage(chromium);
    await signInAs(page, base, "pieshop", "analyst");
    await page.getByRole("link", { name: "Requests" }).click();
    const input = page.getByTestId("expression-input").first();
    // Bad input: an unclosed parenthesis, then a tag the taxonomy does not have.
    await input.fill("age:25-34 and (lifecycle:new");
    const check = page.getByTestId("expression-check").first();
    expect(await check.textContent()).toMatch(/^Position 29: /);
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    // The error is the field's description, so a screen reader reads it with the field.
    const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
    expect(describedBy.split(" ")).toContain(await check.getAttribute("id"));
    await input.fill("age:25-34 and colour:blue");
    expect(await check.textContent()).toBe("Position 15: “colour:blue” is not in the taxonomy.");
    await input.fill("age:25-34 and lifecycle:new");
    expect(await input.getAttribute("aria-invalid")).toBe("false");
    expect(await check.textContent()).toBe("Valid: Age 25-34 and New");
    await page.context().close();
  });

  it("spends no budget while an expression is typed; Estimate shows the cost first, and a repeated question is free", async () => {
    const spend = async () => Number((await stack.sql<{ n: number }>("teabar", "SELECT count(*)::int AS n FROM privacy_spend WHERE requester_brand = 'pieshop'"))[0]?.n);
    const before = await spend();
    const page = await newPage(chromium);
    const sent: string[] = [];
    page.on("request", (request) => sent.push(request.postData() ?? ""));
    await signInAs(page, base, "pieshop", "analyst");
    await page.getByRole("link", { name: "Requests" }).click();
    await page.getByTestId("target-check-teabar").check();
    await page.getByTestId("expression-input").first().pressSequentially("age:35-44 or (interest:tea and not lifecycle:churned)", { delay: 10 });
    await page.waitForTimeout(1_000);
    expect(sent.filter((body) => body.includes("audienceEstimate"))).toEqual([]);
    expect(await spend()).toBe(before);
    // The first press shows the cost and what is left, and still asks nothing.
    await page.getByTestId("estimate").click();
    const costs = page.getByTestId("estimate-costs");
    await costs.waitFor();
    expect(await costs.textContent()).toMatch(/0\.1 ε from Leaf Tea Bar, which has [\d.]+ ε left of [\d.]+ this period/);
    expect(sent.filter((body) => body.includes("audienceEstimate"))).toEqual([]);
    expect(await spend()).toBe(before);
    await page.getByTestId("estimate-confirm").click();
    const results = page.getByTestId("estimate-results");
    await results.waitFor();
    expect(await results.textContent()).toMatch(/Leaf Tea Bar: (about [\d,]+ \(±\d+, 95%\)|fewer than \d+) · cost 0\.1 ε/);
    expect(await spend()).toBe(before + 1);
    // The same question again: the stored answer, free, and it says so.
    await page.getByTestId("estimate").click();
    await page.getByTestId("estimate-confirm").click();
    await page.getByText("asked before this period: free").waitFor();
    expect(await spend()).toBe(before + 1);
    await page.context().close();
  });

  it("never gives pieshop's analyst's browser a teabar member's phone, email or id, on any page", async () => {
    const teabar = await stack.sql<{ id: string; phone: string | null; email: string | null; external_id: string }>(
      "teabar",
      "SELECT id::text AS id, phone, email, external_id FROM members",
    );
    const pieshop = await stack.sql<{ phone: string | null }>("pieshop", "SELECT phone FROM members WHERE phone IS NOT NULL");
    expect(teabar.length).toBeGreaterThan(1_000);
    const findForeign = secretFinder(teabar.flatMap((row) => [row.id, memberGlobalId("teabar", row.id), ...(row.phone ? [row.phone] : []), ...(row.email ? [row.email] : [])]));
    const findOwn = secretFinder(pieshop.flatMap((row) => (row.phone ? [row.phone] : [])));
    const responses: RecordedResponse[] = [];
    const page = await newPage(chromium, { responses });
    await signInAs(page, base, "pieshop", "analyst");
    for (const name of ["Requests", "Members", "Budgets"]) {
      await page.getByRole("link", { name }).click();
      await page.getByRole("heading", { level: 1, name }).waitFor();
      await page.waitForLoadState("networkidle");
    }
    // Members: a filtered search and the next page.
    await page.getByRole("link", { name: "Members" }).click();
    await page.getByTestId("expression-input").fill("lifecycle:new");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("members-next").click();
    await page.waitForLoadState("networkidle");
    // Requests: an estimate at teabar, and the outgoing requests with their results.
    await page.getByRole("link", { name: "Requests" }).click();
    await page.getByTestId("target-check-teabar").check();
    await page.getByTestId("expression-input").first().fill("lifecycle:new");
    await page.getByTestId("estimate").click();
    await page.getByTestId("estimate-confirm").click();
    await page.getByTestId("estimate-results").waitFor();
    // GraphiQL, the same identity.
    await page.goto(`${base}/graphql`);
    await page.getByTestId("identity").waitFor();
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(500);
    expect(responses.length).toBeGreaterThan(10);
    const all = responses.map((response) => response.body).join("\n");
    // The detector works: pieshop's own members' phones did reach this browser (Members page).
    expect(findOwn(all).length).toBeGreaterThan(10);
    expect(findForeign(all)).toEqual([]);
    await page.context().close();
  });

  it("renders every page in both languages with no missing text and no serious or critical accessibility violation", async () => {
    const screenshots = process.env.BRANDPOOL_SCREENSHOTS === "1" ? SCREENSHOT_DIR : await mkdtemp(join(tmpdir(), "bp-screens-"));
    await mkdir(screenshots, { recursive: true });
    const visits: { brand: string | null; role: string; page: string; name: string }[] = [
      { brand: "teabar", role: "approver", page: "inbox", name: "inbox" },
      { brand: "pieshop", role: "analyst", page: "requests", name: "requests" },
      { brand: "pieshop", role: "analyst", page: "members", name: "members" },
      { brand: "teabar", role: "admin", page: "budgets", name: "budgets" },
      { brand: "teabar", role: "auditor", page: "audit", name: "audit" },
    ];
    // A request still waiting for teabar's approver, so the inbox shows its decision form.
    await requestOutreach(stack, ["teabar", "stylehub"], {
      expression: "(age:35-44 or age:45-54) and interest:tea",
      channel: "EMAIL",
      subject: "{{firstName}}, tea and pie",
      message: "Hello {{firstName}}, a pie for your tea: https://pie.example/tea code {{coupon}}",
      purpose: "Tea-time cross offer",
      maxRecipientsPerBrand: 500,
      expiresAt: inDays(5),
    });
    const problems: string[] = [];
    for (const locale of ["en", "zh-CN"] as const) {
      const page = await newPage(chromium, { locale, bypassCSP: true });
      // The sign-in page, before anyone signs in.
      await page.goto(`${base}/admin/`);
      await page.getByTestId("dev-identity").waitFor();
      problems.push(...(await pageProblems(page, `sign-in ${locale}`, locale)));
      await page.screenshot({ path: join(screenshots, `sign-in-${locale}.png`) });
      for (const visit of visits) {
        await page.evaluate(() => (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear());
        await signInAs(page, base, visit.brand, visit.role);
        await page.goto(`${base}/admin/${visit.page}`);
        await page.getByTestId("identity").waitFor();
        await page.waitForLoadState("networkidle");
        await page.locator(".state-loading").waitFor({ state: "detached" }).catch(() => undefined);
        if (visit.page === "inbox") {
          // The decision form open, so it is checked (and shown) too.
          await page.locator(".request .actions button.primary").first().click();
          await page.getByTestId("approve-confirmation").waitFor();
        }
        if (visit.page === "audit") {
          await page.getByTestId("audit-verify").click();
          await page.getByTestId("audit-verification").waitFor();
        }
        problems.push(...(await pageProblems(page, `${visit.name} ${locale}`, locale)));
        await page.screenshot({ path: join(screenshots, `${visit.name}-${locale}.png`), fullPage: true });
      }
      await page.context().close();
    }
    expect(problems).toEqual([]);
  });

  it("lets teabar's auditor verify its chain, reconcile a request and export the timeline as CSV", async () => {
    expect(approvedRequestId).toBeDefined();
    const page = await newPage(chromium);
    await signInAs(page, base, "teabar", "auditor");
    await page.getByTestId("audit-table").waitFor();
    await page.getByTestId("audit-verify").click();
    expect(await page.getByTestId("audit-verification").textContent()).toMatch(/^Chain intact: \d+ events checked\./);
    await page.getByTestId("reconcile-id").fill(approvedRequestId ?? "");
    await page.getByRole("button", { name: "Reconcile a request" }).click();
    const reconciled = page.getByTestId("reconcile-result");
    await reconciled.waitFor();
    expect(await reconciled.textContent()).toBe(`Both logs agree for request ${approvedRequestId}.`);
    // Bad input: an id that is no request is an error in place, not a blank.
    await page.getByTestId("reconcile-id").fill("not-a-request");
    await page.getByRole("button", { name: "Reconcile a request" }).click();
    await page.getByRole("alert").first().waitFor();
    // A filter by event type, then the CSV of what is shown.
    await page.getByLabel("Event type").fill("outreach.sent");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(async () => (await page.getByTestId("audit-table").locator("tbody tr").allTextContents()).every((row) => row.includes("outreach.sent"))).toBe(true);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export").click()]);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("sequence,at,action,actor_brand,target_brands,object_id,event_id");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes(",outreach.sent,"))).toBe(true);
    expect(csv).toContain(approvedRequestId ?? "?");
    await page.context().close();
  });

  it("gives a browser asking for /graphql GraphiQL from the gateway itself, signed in, and clients their GraphQL as before", async () => {
    const html = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const text = await html.text();
    expect(text).toContain("/admin/assets/");
    expect(text).not.toMatch(/https?:\/\//);
    // A client's GET without the CSRF header is still refused as before; with JSON it is GraphQL.
    const plain = await fetch(`${base}/graphql?query=%7B__typename%7D`);
    expect(plain.status).toBe(400);
    const page = await newPage(chromium);
    const outside: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith("data:") && !request.url().startsWith("blob:")) outside.push(request.url());
    });
    await page.goto(`${base}/graphql`);
    await page.getByTestId("dev-identity").selectOption("pieshop|analyst");
    await page.locator("form").filter({ has: page.getByTestId("dev-identity") }).getByRole("button").click();
    await page.getByTestId("identity").waitFor();
    // The editors load their modes lazily: run once the query is shown.
    await page.locator(".graphiql-query-editor .CodeMirror-line").first().waitFor();
    await page.locator(".graphiql-execute-button").click();
    await expect.poll(() => page.locator(".result-window").textContent(), { timeout: 15_000 }).toContain('"brandId": "pieshop"');
    expect(outside).toEqual([]);
    await page.context().close();
  });
});

const SCREENSHOT_DIR = join(REPO_ROOT, "docs", "screenshots");

/** What is wrong with the page as shown: a missing text, English left in the Chinese page, axe's serious findings. */
async function pageProblems(page: Page, label: string, locale: "en" | "zh-CN"): Promise<string[]> {
  const problems: string[] = [];
  const text = await page.locator("body").innerText();
  if (text.includes("⟦missing:")) problems.push(`${label}: a missing text: ${/⟦missing:[^⟧]*⟧/.exec(text)?.[0]}`);
  if (/\bundefined\b|\bNaN\b/.test(text)) problems.push(`${label}: "undefined" or "NaN" shown`);
  if (locale === "zh-CN") {
    for (const english of ["Sign in", "Signed in as", "Inbox", "Requests", "Members", "Budgets", "Loading", "Something went wrong"]) {
      if (text.includes(english)) problems.push(`${label}: English "${english}" on the Chinese page`);
    }
  }
  const lang = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang);
  if (lang !== locale) problems.push(`${label}: <html lang="${lang}">`);
  for (const violation of await seriousViolations(page)) {
    problems.push(`${label}: axe ${violation.impact} ${violation.id} (${violation.help}) at ${violation.nodes.map((n) => n.target.join(" ")).join("; ")}`);
  }
  return problems;
}

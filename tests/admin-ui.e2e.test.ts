import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { browserTestsSkipReason, newPage, signInAs } from "./support/browser.js";
import { requestOutreach, targetStatus, waitForStatus } from "./support/outreach-sending.js";
import { eventually } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { startUiStack } from "./support/ui-stack.js";
import type { UiStack } from "./support/ui-stack.js";

// Issue 10: the admin UI in a real browser (Debian's Chromium driven by playwright-core) against
// the real stack. The gateway serves the built UI at /admin and GraphiQL at /graphql for a
// browser; the UI talks only to its GraphQL. Pages in both languages: admin-ui-pages.e2e.test.ts.

const skip = browserTestsSkipReason();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe.skipIf(skip !== null)("the admin UI in a browser: serving, sign-in, the inbox, audit, GraphiQL", () => {
  let ui: UiStack;
  let stack: TestStack;
  let chromium: UiStack["chromium"];
  let base: string;
  let approvedRequestId: string | undefined;

  beforeAll(async () => {
    ui = await startUiStack();
    ({ stack, chromium, base } = ui);
  });
  afterAll(async () => {
    await ui?.stop();
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

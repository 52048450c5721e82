import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import { browserTestsSkipReason, launchChromium, newPage, signInAs } from "./support/browser.js";
import type { BrowserSession } from "./support/browser.js";
import { requestOutreach, targetStatus, waitForStatus } from "./support/outreach-sending.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 10: the admin UI in a real browser (Debian's Chromium driven by playwright-core) against
// the real stack. The gateway serves the built UI at /admin; the UI talks only to its GraphQL.

const skip = browserTestsSkipReason();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe.skipIf(skip !== null)("the admin UI: approvers' inbox", () => {
  let stack: TestStack;
  let sms: SmsSink;
  let sinkDir: string;
  let chromium: BrowserSession;
  let base: string;

  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "bp-admin-ui-"));
    sms = await startSmsSink({ dir: sinkDir });
    stack = await startTestStack({
      nodeEnv: () => ({ SMS_WEBHOOK_URL: sms.url, SEND_POLL_SECONDS: "1", QUIET_HOURS: "none", OUTREACH_LINK_DOMAINS: "pie.example" }),
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
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTestsSkipReason, newPage, signInAs } from "./support/browser.js";
import { eligibleMembers, requestOutreach } from "./support/outreach-sending.js";
import { RULES, codes, sha256 } from "./support/sharing-rules.js";
import type { TestStack } from "./support/test-stack.js";
import { SCREENSHOT_DIR, pageProblems, startUiStack } from "./support/ui-stack.js";
import type { UiStack } from "./support/ui-stack.js";

// Issue 10, the sharing rules page: an admin edits the Cedar rules with Cedar's error shown in
// place, fixes it, dry-runs the unsaved text and saves; the minimum audience's typed refusal; the
// page in both languages.

const skip = browserTestsSkipReason();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const AUTO_APPROVE = `@id("auto-approve-pieshop-email")
permit (principal == SharingRules::Brand::"pieshop", action == SharingRules::Action::"Approve", resource)
when { context.channel == "EMAIL" && context.requestedCap <= 10000 };
`;
// Bad input: the context holds no audience (the owner's counts are never in a context): line 3.
const READS_AUDIENCE = AUTO_APPROVE.replace("context.requestedCap <= 10000", "context.audience <= 10000");

describe.skipIf(skip !== null)("the sharing rules page in a browser", () => {
  let ui: UiStack;
  let stack: TestStack;
  let base: string;
  let emailRequest: string;
  let smsRequest: string;
  const versions = async () => Number((await stack.sql<{ n: number }>("teabar", "SELECT count(*)::int AS n FROM sharing_rules"))[0]?.n);
  const minimumRow = () => stack.sql<{ minimum: number }>("teabar", "SELECT minimum FROM outreach_minimum");

  beforeAll(async () => {
    ui = await startUiStack();
    ({ stack, base } = ui);
    const common = { purpose: "Tea-time cross offer", maxRecipientsPerBrand: 500, expiresAt: inDays(5) };
    emailRequest = await requestOutreach(stack, ["teabar"], { ...common, expression: "interest:tea", channel: "EMAIL", subject: "Tea and pie", message: "A pie for your tea, code {{coupon}}" });
    smsRequest = await requestOutreach(stack, ["teabar"], { ...common, expression: "interest:tea", channel: "SMS", message: "A pie for your tea, code {{coupon}}" });
  });
  afterAll(async () => {
    await ui?.stop();
  });

  it("shows Cedar's error in place, and after the fix dry-runs the unsaved text and saves it", async () => {
    const page = await newPage(ui.chromium);
    await signInAs(page, base, "teabar", "admin");
    await page.getByRole("link", { name: "Sharing rules" }).click();
    await page.getByRole("heading", { level: 1, name: "Sharing rules" }).waitFor();
    expect(await page.getByTestId("rules-hash").textContent()).toBe(sha256(""));
    expect(await page.getByTestId("rules-validated-at").textContent()).toMatch(/^Never saved/);
    const before = await versions();
    expect(before).toBe(0);

    const editor = page.getByTestId("rules-text");
    await editor.fill(READS_AUDIENCE);
    await page.getByTestId("rules-save").click();
    const error = page.getByTestId("rules-error");
    await error.waitFor();
    expect(await page.getByTestId("rules-error-message").first().textContent()).toMatch(/attribute `audience` in context/);
    const position = (await page.getByTestId("rules-error-position").first().textContent()) ?? "";
    const [, line, column] = /^Line (\d+), column (\d+):$/.exec(position) ?? [];
    expect(Number(line)).toBe(3);
    // The offending line is marked in the gutter, and the caret sits on it at Cedar's column.
    expect(await page.getByTestId("rules-error-line").textContent()).toBe("3");
    expect(await editor.getAttribute("aria-invalid")).toBe("true");
    const caret = await editor.evaluate((element) => {
      const area = element as unknown as { value: string; selectionStart: number; ownerDocument: { activeElement: unknown } };
      const lines = area.value.slice(0, area.selectionStart).split("\n");
      return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1, focused: area.ownerDocument.activeElement === element };
    });
    expect(caret).toEqual({ line: 3, column: Number(column), focused: true });
    // Nothing was saved.
    expect(await versions()).toBe(before);

    // The fix, dry-run before saving: the email request would be approved by the rule, the SMS one left to the approver.
    await editor.fill(AUTO_APPROVE);
    expect(await page.getByTestId("rules-state").textContent()).toBe("Unsaved changes");
    await page.getByTestId("rules-dry-run-button").click();
    await page.getByTestId("rules-dry-run").waitFor();
    expect(await page.getByTestId("rules-error").count()).toBe(0);
    const email = page.getByTestId(`dry-run-${emailRequest}`);
    expect(await email.getByTestId("dry-run-decision").textContent()).toBe("Approve");
    expect(await email.getByTestId("dry-run-reasons").textContent()).toBe("auto-approve-pieshop-email");
    expect(await email.textContent()).toContain("Tea-time cross offer · E-mail");
    const sms = page.getByTestId(`dry-run-${smsRequest}`);
    expect(await sms.getByTestId("dry-run-decision").textContent()).toBe("Left to the approver");
    expect(await versions()).toBe(before);
    const pending = await stack.sql("teabar", "SELECT status FROM incoming_requests WHERE request_id = ANY($1)", [[emailRequest, smsRequest]]);
    expect(pending.map((row) => row.status)).toEqual(["PENDING", "PENDING"]);

    // Saved with the keyboard shortcut.
    await editor.press("Control+s");
    await page.getByText("Saved. The new rules decide the next requests received.").waitFor();
    expect(await page.getByTestId("rules-hash").textContent()).toBe(sha256(AUTO_APPROVE));
    expect(await page.getByTestId("rules-validated-at").textContent()).not.toMatch(/^Never/);
    expect(await versions()).toBe(before + 1);
    const saved = await stack.ask<{ sharingRules: { policies: string; hash: string } }>({ brand: "teabar", role: "admin" }, RULES);
    expect(saved.data?.sharingRules).toMatchObject({ policies: AUTO_APPROVE, hash: sha256(AUTO_APPROVE) });
    await page.context().close();
  });

  it("shows the approver what its own data and rules say of a waiting request, and the confirmation names how many will be contacted", async () => {
    // Runs after the rules were saved: the email request is one the rules would approve.
    const oracle = await eligibleMembers(stack, "teabar", { anyOf: [["interest:tea"]], channel: "SMS", excludeRequest: smsRequest });
    const page = await newPage(ui.chromium);
    await signInAs(page, base, "teabar", "approver");
    const sms = page.getByTestId(`incoming-${smsRequest}`);
    await sms.getByTestId("review-facts").waitFor();
    expect(await sms.getByTestId("exact-audience").textContent()).toBe(
      `${oracle.length.toLocaleString("en")} members match, consent to SMS offers and are under the frequency cap (exact; only your brand sees this)`,
    );
    expect(await sms.getByTestId("rules-say").textContent()).toBe("Left to the approver No rule applies");
    // The UI stack has no quiet hours and the request may be sent at once.
    expect(await sms.getByTestId("sends-at").textContent()).toBe("At once, if approved now");
    const email = page.getByTestId(`incoming-${emailRequest}`);
    expect(await email.getByTestId("rules-say").textContent()).toBe("Approve auto-approve-pieshop-email");
    // The confirmation names the number that will be contacted: the cap, or fewer if fewer can be reached.
    await sms.getByRole("button", { name: "Approve…" }).click();
    const contacted = Math.min(500, oracle.length);
    expect(await sms.getByTestId("approve-confirmation").textContent()).toBe(
      contacted < 500
        ? `Approve: ${contacted.toLocaleString("en")} of your members will be contacted by SMS, all who can be reached now (the cap is 500).`
        : "Approve: up to 500 of your members will be contacted by SMS.",
    );
    await sms.getByTestId("lower-cap").fill("7");
    expect(await sms.getByTestId("approve-confirmation").textContent()).toBe("Approve: up to 7 of your members will be contacted by SMS.");
    await sms.getByRole("button", { name: "Cancel" }).click();
    // Reading changed nothing.
    expect(await stack.sql("teabar", "SELECT status FROM incoming_requests WHERE request_id = $1", [smsRequest])).toEqual([{ status: "PENDING" }]);
    await page.context().close();
  });

  it("refuses a minimum audience below 100 beside the field and changes nothing, then saves a valid one", async () => {
    const page = await newPage(ui.chromium);
    await signInAs(page, base, "teabar", "admin");
    await page.goto(`${base}/admin/rules`);
    const before = await minimumRow();
    const field = page.getByTestId("minimum-audience");
    // Bad input: 99, below the platform's floor; the node's BAD_INPUT is what is shown.
    await field.fill("99");
    await page.getByTestId("minimum-save").click();
    await page.getByTestId("minimum-problem").getByText(/^Refused: /).waitFor();
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await minimumRow()).toEqual(before);
    // Bad input: not a number (refused on the page, nothing sent).
    await field.fill("many");
    await page.getByTestId("minimum-save").click();
    expect(await page.getByTestId("minimum-problem").textContent()).toBe("Enter a whole number.");
    await field.fill("1500");
    await field.press("Enter");
    await page.getByText("Saved: requests reaching fewer than 1,500 people are declined.").waitFor();
    expect(await minimumRow()).toEqual([{ minimum: 1500 }]);
    await page.context().close();
  });

  it("is not in an approver's or analyst's menu, and the API refuses them the rules", async () => {
    for (const role of ["approver", "analyst"] as const) {
      const page = await newPage(ui.chromium);
      await signInAs(page, base, "teabar", role);
      await page.getByRole("navigation").waitFor();
      expect(await page.getByRole("link", { name: "Sharing rules" }).count()).toBe(0);
      // The path typed by hand shows the role's own first page, not the rules.
      await page.goto(`${base}/admin/rules`);
      await page.getByTestId("identity").waitFor();
      expect(await page.getByTestId("rules-text").count()).toBe(0);
      await page.context().close();
      expect(codes(await stack.ask({ brand: "teabar", role }, RULES))).toEqual(["FORBIDDEN"]);
    }
    // Another brand's admin reads its own rules only (a root field on its own node), never teabar's.
    const other = await stack.ask<{ sharingRules: { hash: string } }>({ brand: "pieshop", role: "admin" }, RULES);
    expect(other.data?.sharingRules.hash).toBe(sha256(""));
  });

  it("renders the rules page and the inbox review facts in both languages with no missing text and no serious or critical accessibility violation", async () => {
    const screenshots = process.env.BRANDPOOL_SCREENSHOTS === "1" ? SCREENSHOT_DIR : await mkdtemp(join(tmpdir(), "bp-screens-"));
    await mkdir(screenshots, { recursive: true });
    const problems: string[] = [];
    for (const locale of ["en", "zh-CN"] as const) {
      const page = await newPage(ui.chromium, { locale, bypassCSP: true });
      await signInAs(page, base, "teabar", "admin");
      await page.goto(`${base}/admin/rules`);
      await page.getByTestId("rules-text").waitFor();
      // The dry run's table and an error in place, so both are checked (and shown) too.
      await page.getByTestId("rules-dry-run-button").click();
      await page.getByTestId("rules-dry-run").waitFor();
      await page.getByTestId("rules-text").fill(READS_AUDIENCE);
      await page.getByTestId("rules-save").click();
      await page.getByTestId("rules-error").waitFor();
      problems.push(...(await pageProblems(page, `rules ${locale}`, locale)));
      await page.screenshot({ path: join(screenshots, `rules-${locale}.png`), fullPage: true });
      // The inbox with the review facts and the approval's confirmation open.
      await page.goto(`${base}/admin/inbox`);
      await page.getByTestId("review-facts").first().waitFor();
      await page.locator(".request .actions button.primary").first().click();
      await page.getByTestId("approve-confirmation").waitFor();
      problems.push(...(await pageProblems(page, `inbox review ${locale}`, locale)));
      await page.context().close();
    }
    expect(problems).toEqual([]);
  });
});

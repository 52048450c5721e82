import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipReason, newPage, signInAs } from "./support/browser.js";
import type { TestStack } from "./support/test-stack.js";
import { startUiStack } from "./support/ui-stack.js";
import type { UiStack } from "./support/ui-stack.js";

// Issue 10: the Members page's CSV import in a real browser, through an import session
// (ARCHITECTURE.md "Import sessions"): parsed in the page, sent in chunks, committed whole.

const skip = browserTestsSkipReason();

describe.skipIf(skip !== null)("the Members page imports a CSV file through an import session", () => {
  let ui: UiStack;
  let stack: TestStack;

  beforeAll(async () => {
    ui = await startUiStack();
    ({ stack } = ui);
  });
  afterAll(async () => {
    await ui?.stop();
  });

  it("sends the file in chunks with a progress bar to 100%, reports rejected rows by number, then imports the valid ones and updates a known member", async () => {
    const [known] = await stack.sql<{ external_id: string }>("pieshop", "SELECT external_id FROM members ORDER BY seq LIMIT 1");
    const [before] = await stack.sql<{ n: number }>("pieshop", "SELECT count(*)::int AS n FROM members");
    const lines = ["externalId,name,phone,joinDate,consentSms,tags"];
    // 900 good rows of about 150 bytes of JSON each: more than one chunk within the body limit.
    for (let i = 1; i <= 900; i += 1) lines.push(`UI-${i},"Browser Import, Member ${i}",+86138${String(i).padStart(8, "0")},2024-06-01,yes,interest:tea;lifecycle:new`);
    // Bad input: a date that is no date (row 901), a missing name (row 902); then a known member number (row 903).
    lines.push("UI-BAD-DATE,Bad Date,,2024-02-30,,", "UI-NO-NAME,,,2024-06-01,,", `${known?.external_id},Renamed In Browser,,2020-01-01,no,`);
    const csv = `${lines.join("\n")}\n`;

    const page = await newPage(ui.chromium);
    const appends: number[] = [];
    page.on("request", (request) => {
      const body = request.postData() ?? "";
      if (body.includes("AppendImportRows")) appends.push(body.length);
    });
    await signInAs(page, ui.base, "pieshop", "analyst");
    await page.getByRole("link", { name: "Members" }).click();
    await page.getByLabel("CSV file", { exact: true }).and(page.locator("input[type=file]")).setInputFiles({ name: "members.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
    await page.getByRole("button", { name: "Check and import" }).click();

    const report = page.getByTestId("import-rejected");
    await report.waitFor();
    expect(await page.getByRole("progressbar", { name: "Rows checked" }).getAttribute("aria-valuenow")).toBe("100");
    expect(await report.locator("tbody tr").allTextContents()).toEqual(["901joinDate: is not a real calendar date", "902name: is required"]);
    expect(await page.getByText("2 of 903 rows were rejected. Nothing has been imported yet.").count()).toBe(1);
    expect(appends.length).toBeGreaterThan(1);
    for (const size of appends) expect(size).toBeLessThan(100_000);
    // Nothing is written before the commit.
    expect(await stack.sql("pieshop", "SELECT count(*)::int AS n FROM members")).toEqual([before]);

    await page.getByRole("button", { name: "Import the 901 valid rows" }).click();
    const done = page.getByTestId("import-done");
    await done.waitFor();
    expect(await done.textContent()).toBe("Imported: 900 new, 1 updated, 2 rejected.");
    expect(await page.getByRole("progressbar", { name: "Rows checked" }).getAttribute("aria-valuenow")).toBe("100");
    expect(await stack.sql("pieshop", "SELECT count(*)::int AS n FROM members")).toEqual([{ n: (before?.n ?? 0) + 900 }]);
    expect(await stack.sql("pieshop", "SELECT name FROM members WHERE external_id = $1", [known?.external_id])).toEqual([{ name: "Renamed In Browser" }]);
    expect(await stack.sql("pieshop", "SELECT count(*)::int AS n FROM members WHERE external_id IN ('UI-BAD-DATE', 'UI-NO-NAME')")).toEqual([{ n: 0 }]);
    await page.context().close();
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import { REPO_ROOT } from "@brandpool/stack";
import { launchChromium, seriousViolations } from "./browser.js";
import type { BrowserSession } from "./browser.js";
import { startTestStack } from "./test-stack.js";
import type { TestStack } from "./test-stack.js";

export const SCREENSHOT_DIR = join(REPO_ROOT, "docs", "screenshots");

export interface UiStack {
  stack: TestStack;
  chromium: BrowserSession;
  /** The gateway's origin, where the browser opens /admin. */
  base: string;
  stop(): Promise<void>;
}

/**
 * The stack the admin UI's browser tests run against: every node sends SMS to a local sink with
 * no quiet hours and releases results within a second, k is 20 (so figures show), pie.example
 * links are allowed; and a headless Chromium.
 */
export async function startUiStack(): Promise<UiStack> {
  const sinkDir = await mkdtemp(join(tmpdir(), "bp-admin-ui-"));
  let sms: SmsSink | undefined;
  let stack: TestStack | undefined;
  try {
    sms = await startSmsSink({ dir: sinkDir });
    const url = sms.url;
    stack = await startTestStack({
      kThreshold: 20,
      nodeEnv: () => ({ SMS_WEBHOOK_URL: url, SEND_POLL_SECONDS: "1", QUIET_HOURS: "none", OUTREACH_LINK_DOMAINS: "pie.example", OUTREACH_RESULTS_SECONDS: "1" }),
    });
    const chromium = await launchChromium();
    const started = stack;
    const sink = sms;
    return {
      stack: started,
      chromium,
      base: started.gatewayUrl.replace(/\/graphql$/, ""),
      async stop() {
        await chromium.close();
        await started.stop();
        await sink.close();
        await rm(sinkDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack?.stop();
    await sms?.close();
    await rm(sinkDir, { recursive: true, force: true });
    throw error;
  }
}

/** What is wrong with the page as shown: a missing text, English left in the Chinese page, axe's serious findings. */
export async function pageProblems(page: Page, label: string, locale: "en" | "zh-CN"): Promise<string[]> {
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

import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); playwright-core downloads no browser. */
export const CHROMIUM = "/usr/bin/chromium";

// `.ci/run` sets BRANDPOOL_CI=1; a CI system's own CI variable counts too.
const inCi = process.env.BRANDPOOL_CI === "1" || (process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false");

/**
 * Whether the browser tests run here: always in CI on the machine's PostgreSQL (they run once, not
 * again on the embedded pass), and wherever Chromium is installed. In CI a missing Chromium fails
 * the run (`.ci/run` installs it); elsewhere the tests are skipped with this reason.
 */
export function browserTestsSkipReason(): string | null {
  if (inCi && !process.env.DATABASE_URL) return "browser tests run once in CI, on the DATABASE_URL pass";
  if (existsSync(CHROMIUM)) return null;
  if (inCi) throw new Error(`${CHROMIUM} is missing in CI: .ci/run installs it with apt-get install chromium`);
  const reason = `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium) to run the admin UI's browser tests`;
  process.stderr.write(`SKIPPED admin UI browser tests: ${reason}\n`);
  return reason;
}

export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

/** Headless Chromium as the machine notes say it runs here: no sandbox (root), no background networking. */
export async function launchChromium(): Promise<BrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), "bp-chromium-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface RecordedResponse {
  url: string;
  status: number;
  body: string;
}

/** Every response the page receives (documents, scripts, GraphQL), bodies included. */
export function recordResponses(context: BrowserContext, into: RecordedResponse[]): void {
  context.on("response", (response) => {
    void response.text().then(
      (body) => into.push({ url: response.url(), status: response.status(), body }),
      () => into.push({ url: response.url(), status: response.status(), body: "" }),
    );
  });
}

/** A page of a new context (its own storage), in a language and signed out. */
export async function newPage(
  session: BrowserSession,
  options: { locale?: "zh-CN" | "en"; responses?: RecordedResponse[]; /** For injecting axe-core past the pages' CSP. */ bypassCSP?: boolean } = {},
): Promise<Page> {
  const context = await session.browser.newContext({ locale: options.locale ?? "en", viewport: { width: 1280, height: 900 }, bypassCSP: options.bypassCSP ?? false });
  if (options.responses) recordResponses(context, options.responses);
  if (options.locale) await context.addInitScript((locale) => {
      // Runs in the page: its globals are the browser's.
      (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem("brandpool.locale", locale);
    }, options.locale);
  return context.newPage();
}

/** Signs in through the identity picker, as a person would. */
export async function signInAs(page: Page, baseUrl: string, brand: string | null, role: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.getByTestId("dev-identity").selectOption(`${brand ?? ""}|${role}`);
  await page.locator("form").filter({ has: page.getByTestId("dev-identity") }).getByRole("button").click();
  await page.getByTestId("identity").waitFor();
}

const require = createRequire(import.meta.url);

/** axe-core's own script, injected into the page (not @axe-core/playwright, which needs Node 22). */
export const AXE_SOURCE_PATH = require.resolve("axe-core/axe.min.js");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Serious and critical accessibility violations of the page as it stands. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_SOURCE_PATH });
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } };
    const result = await page.axe.run(page.document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, dropDatabase } from "./databases.js";
import type { MigrationSet } from "./migrate.js";

/**
 * Test databases. The vitest global setup (vitest-global-setup.ts) picks the server (DATABASE_URL,
 * or an embedded Postgres), migrates one template database per service, and passes both on
 * through these environment variables.
 */
export const TEST_ENV = {
  adminUrl: "BRANDPOOL_TEST_ADMIN_URL",
  runId: "BRANDPOOL_TEST_RUN",
} as const;

export function testRun(): { adminUrl: string; runId: string } {
  const adminUrl = process.env[TEST_ENV.adminUrl];
  const runId = process.env[TEST_ENV.runId];
  if (!adminUrl || !runId) {
    throw new Error("No test database server: run tests through vitest with the root vitest.config.ts.");
  }
  return { adminUrl, runId };
}

export function templateName(runId: string, set: MigrationSet): string {
  return `bp_${runId}_tpl_${set}`;
}

/** The role owning the objects of the run's templates (see vitest-global-setup.ts). */
export function templateOwner(runId: string): string {
  return `bp_${runId}_tpl_owner`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file: empty, or a copy of a migrated template. */
export async function createTestDatabase(options: { template?: MigrationSet } = {}): Promise<TestDatabase> {
  const { adminUrl, runId } = testRun();
  const name = `bp_${runId}_${randomBytes(5).toString("hex")}`;
  const template = options.template ? templateName(runId, options.template) : undefined;
  const url = await createDatabase(adminUrl, name, template);
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}

/**
 * Ends a pool and waits until every one of its connections has closed: pool.end() resolves
 * before that, and dropping the database (WITH FORCE) would then kill them mid-close, raising
 * unhandled errors in the test run.
 */
export async function closePool(pool: { totalCount: number; on(event: "remove", listener: () => void): unknown; end(): Promise<void> }): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on("remove", () => {
      open -= 1;
      if (open === 0) resolve();
    });
  });
  await pool.end();
  await closed;
}

/** Runs one statement on its own connection to `url` and returns the rows. */
export async function queryOnce<T extends pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The SQLSTATE of what `work` threw (its message when it has none), or "none". */
export async function sqlStateOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return "none";
  } catch (error) {
    return String((error as { code?: unknown }).code ?? (error as Error).message);
  }
}

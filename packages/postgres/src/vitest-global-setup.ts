import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, databaseUrl, dropDatabase, listDatabases } from "./databases.js";
import { startEmbeddedPostgres } from "./embedded-server.js";
import type { RunningServer } from "./embedded-server.js";
import { freePort } from "./free-port.js";
import { migrateDatabase } from "./migrate.js";
import type { MigrationSet } from "./migrate.js";
import { TEST_ENV, templateName } from "./testing.js";

const SETS: MigrationSet[] = ["brand", "coordinator"];

/**
 * Picks the database server for the whole test run: the one in DATABASE_URL when it is set, an
 * embedded Postgres otherwise. Migrates each service's schema once into a template database;
 * every test file then clones what it needs (CREATE DATABASE ... TEMPLATE), which is fast.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString("hex");
  let embedded: RunningServer | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(tmpdir(), `brandpool-test-pg-${runId}`),
      port: await freePort(),
      ephemeral: true,
    });
    adminUrl = embedded.adminUrl;
  }
  for (const set of SETS) {
    const name = templateName(runId, set);
    await createDatabase(adminUrl, name);
    await migrateDatabase(databaseUrl(adminUrl, name), set);
  }
  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.runId] = runId;

  return async () => {
    const admin = adminUrl as string;
    for (const name of await listDatabases(admin, `bp_${runId}_`)) await dropDatabase(admin, name);
    await embedded?.stop();
  };
}

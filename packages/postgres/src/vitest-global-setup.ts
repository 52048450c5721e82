import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropDatabase, listDatabases, withAdmin } from "./databases.js";
import { startEmbeddedPostgres } from "./embedded-server.js";
import type { RunningServer } from "./embedded-server.js";
import { freePort } from "./free-port.js";
import { migrateDatabase } from "./migrate.js";
import type { MigrationSet } from "./migrate.js";
import { dropRoles, ensureServiceRole, serviceDatabaseUrl } from "./service-roles.js";
import { TEST_ENV, templateName, templateOwner } from "./testing.js";

const SETS: MigrationSet[] = ["brand", "coordinator"];

/**
 * Picks the database server for the whole test run: the one in DATABASE_URL when it is set, an
 * embedded Postgres otherwise. Migrates each service's schema once into a template database;
 * every test file then clones what it needs (CREATE DATABASE ... TEMPLATE), which is fast.
 *
 * The templates' objects belong to a role of the run (`templateOwner`), not to the superuser, so
 * that a clone can hand them all to its service's role with one REASSIGN OWNED (which cannot take
 * objects from the bootstrap superuser). The template databases themselves are the superuser's,
 * or that REASSIGN would give the template away as well.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString("hex");
  let embedded: RunningServer | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(tmpdir(), `brandpool-test-pg-${runId}`),
      port: await freePort(),
      password: randomBytes(24).toString("base64url"),
      ephemeral: true,
    });
    adminUrl = embedded.adminUrl;
  }
  const admin = adminUrl;
  const cleanUp = async () => {
    for (const name of await listDatabases(admin, `bp_${runId}_`)) await dropDatabase(admin, name);
    await dropRoles(admin, `bp_${runId}_`);
    await embedded?.stop();
  };
  const owner = templateOwner(runId);
  const ownerPassword = randomBytes(24).toString("base64url");
  try {
    await ensureServiceRole(admin, owner, ownerPassword);
    await Promise.all(
      SETS.map(async (set) => {
        const name = templateName(runId, set);
        await withAdmin(admin, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${client.escapeIdentifier(owner)}`));
        await migrateDatabase(serviceDatabaseUrl(admin, name, owner, ownerPassword), set);
        await withAdmin(admin, (client) => client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} OWNER TO CURRENT_USER`));
      }),
    );
  } catch (error) {
    // vitest runs no teardown for a setup that failed: leave no template or role behind.
    await cleanUp().catch(() => undefined);
    throw error;
  }
  process.env[TEST_ENV.adminUrl] = admin;
  process.env[TEST_ENV.runId] = runId;

  return cleanUp;
}

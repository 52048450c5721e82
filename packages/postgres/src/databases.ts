import pg from "pg";
import { checkName } from "./names.js";

/** The same server and credentials as `url`, another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${checkName(database)}`;
  return parsed.toString();
}

export async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withAdmin(adminUrl, async (client) => {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [checkName(name)]);
    return result.rowCount === 1;
  });
}

/** Creates a database, optionally as a copy of a template (which must have no open connections). */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await withAdmin(adminUrl, async (client) => {
    const from = template ? ` TEMPLATE ${client.escapeIdentifier(checkName(template))}` : "";
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(checkName(name))}${from}`);
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(checkName(name))} WITH (FORCE)`);
  });
}

/** Names of the databases whose name starts with `prefix`. */
export async function listDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  return withAdmin(adminUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
      [prefix],
    );
    return result.rows.map((row) => row.datname);
  });
}

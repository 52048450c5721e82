import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";

export type MigrationSet = "brand" | "coordinator";

/** The folder of a service's drizzle-kit migrations (`migrations/<set>` at the repository root). */
export function migrationsFolder(set: MigrationSet): string {
  return fileURLToPath(new URL(`../../../migrations/${set}`, import.meta.url));
}

/** Applies the pending migrations of `set` to the database at `url`. */
export async function migrateDatabase(url: string, set: MigrationSet): Promise<void> {
  const folder = migrationsFolder(set);
  if (!existsSync(join(folder, "meta", "_journal.json"))) {
    throw new Error(`No migrations journal in ${folder}`);
  }
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(drizzle(pool), { migrationsFolder: folder });
  } finally {
    await pool.end();
  }
}

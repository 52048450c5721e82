import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { brands } from "./brand.table.js";
import { nodeEventReceipts } from "./node-event-receipt.table.js";
import { outreachRequests, outreachTargets } from "./outreach-request.table.js";
import { outreachTargetResults } from "./outreach-target-result.table.js";
import { taxonomyTags } from "./taxonomy-tag.table.js";

export const schema = { brands, taxonomyTags, nodeEventReceipts, outreachRequests, outreachTargets, outreachTargetResults };
export type Database = NodePgDatabase<typeof schema>;

export function openDatabase(url: string): { pool: pg.Pool; db: Database } {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => undefined);
  return { pool, db: drizzle(pool, { schema }) };
}

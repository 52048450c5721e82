import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { members } from "./member.table.js";
import { checkedDimensions, tagDictionary } from "./tag-dictionary.table.js";
import { privacyAnswers, privacyPoolCap, privacyPoolUsage, privacyQuotaUsage, privacyQuotas, privacySpend } from "./privacy.table.js";
import { coordinatorOutbox } from "./outbox.table.js";
import { incomingRequests } from "./incoming-request.table.js";
import { deliveryAttempts, outreachRecipients } from "./outreach-recipient.table.js";
import { outreachResultReleases } from "./outreach-result-release.table.js";
import { optOuts } from "./opt-out.table.js";
import { outreachMinimum, sharingRules } from "./sharing-rules.table.js";
import { importSessionRows, importSessions } from "./import-session.table.js";

export const schema = {
  members,
  tagDictionary,
  checkedDimensions,
  privacyAnswers,
  privacySpend,
  privacyQuotas,
  privacyPoolCap,
  privacyQuotaUsage,
  privacyPoolUsage,
  coordinatorOutbox,
  incomingRequests,
  outreachRecipients,
  outreachResultReleases,
  deliveryAttempts,
  optOuts,
  sharingRules,
  outreachMinimum,
  importSessions,
  importSessionRows,
};
export type Database = NodePgDatabase<typeof schema>;

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Database;
}

export function openDatabase(url: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the node.
  pool.on("error", () => undefined);
  return { pool, db: drizzle(pool, { schema }) };
}

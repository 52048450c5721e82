import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, smallint } from "drizzle-orm/pg-core";

/**
 * Which members changed, and in which transaction: the audience index's change log. A trigger on
 * `members` (see the migration) writes a row for every inserted or deleted member and every
 * member whose tags or consents an update changed; the row names the member's `seq` only, and
 * the index reads the member's current row to apply it. `xid` is the writing transaction's id
 * (`pg_current_xact_id()`, 64 bits, never reused), compared with snapshots to read each committed
 * change once (src/audience-index/).
 */
export const memberChanges = pgTable(
  "member_changes",
  {
    seq: integer("seq").notNull(),
    xid: bigint("xid", { mode: "number" }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
  },
  (table) => [index("member_changes_xid").on(table.xid)],
);

/**
 * One row: change rows of transactions below `below` may have been pruned. An index whose last
 * catch-up needs older rows than that reloads instead of missing them.
 */
export const memberChangesHorizon = pgTable(
  "member_changes_horizon",
  {
    id: smallint("id").primaryKey().default(1),
    below: bigint("below", { mode: "number" }).notNull().default(0),
  },
  (table) => [check("member_changes_horizon_one_row", sql`${table.id} = 1`)],
);

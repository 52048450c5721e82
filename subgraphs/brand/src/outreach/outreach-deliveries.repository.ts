import { and, asc, eq, getTableColumns, gt } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { incomingRequests } from "../db/incoming-request.table.js";
import { members } from "../db/member.table.js";
import { outreachRecipients } from "../db/outreach-recipient.table.js";

export type MemberRecord = typeof members.$inferSelect;
export type RecipientRow = typeof outreachRecipients.$inferSelect & { member: MemberRecord };

/** The owner's own view of the recipients of a request on this node (personal data: own brand only). */
export class OutreachDeliveriesRepository {
  constructor(private readonly db: Database) {}

  async requestExists(requestId: string): Promise<boolean> {
    const [row] = await this.db.select({ id: incomingRequests.requestId }).from(incomingRequests).where(eq(incomingRequests.requestId, requestId));
    return row !== undefined;
  }

  /** Recipients after member position `after`, in member order. */
  async page(requestId: string, after: number | null, limit: number): Promise<RecipientRow[]> {
    const rows = await this.db
      .select({ recipient: getTableColumns(outreachRecipients), member: getTableColumns(members) })
      .from(outreachRecipients)
      .innerJoin(members, eq(members.seq, outreachRecipients.memberSeq))
      .where(and(eq(outreachRecipients.requestId, requestId), after === null ? undefined : gt(outreachRecipients.memberSeq, after)))
      .orderBy(asc(outreachRecipients.memberSeq))
      .limit(limit);
    return rows.map((row) => ({ ...row.recipient, member: row.member }));
  }
}

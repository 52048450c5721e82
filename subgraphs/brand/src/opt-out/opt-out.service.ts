import type pg from "pg";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { OptOutSource } from "../db/opt-out.table.js";
import { withTransaction } from "../db/transaction.js";
import type { Transaction } from "../db/transaction.js";

type Channel = "SMS" | "EMAIL" | "MAIL";
const CONSENT_COLUMN: Record<Channel, string> = { SMS: "consent_sms", EMAIL: "consent_email", MAIL: "consent_mail" };

/**
 * Withdraws a member's consent on one channel at once, from an SMS reply or an email's
 * unsubscribe link: the consent column (so the next request's selection skips the member, and a
 * batch still sending checks it again), an `opt_outs` row, and an event in the owner's log that
 * says which channel and how, never who. Repeating one changes nothing.
 */
export class OptOutService {
  constructor(
    private readonly brandId: string,
    private readonly pool: pg.Pool,
    private readonly audit: Pick<NodeAudit, "record">,
  ) {}

  /** Every member with this phone number stops getting SMS; how many did. */
  async optOutPhone(phone: string): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      const changed = await tx.client.query<{ member_seq: number }>(
        `WITH m AS (
           UPDATE members SET consent_sms = false, updated_at = now() WHERE phone = $1 AND consent_sms RETURNING seq)
         INSERT INTO opt_outs (member_seq, channel, source, request_id)
         SELECT m.seq, 'SMS', 'SMS_REPLY',
                (SELECT r.request_id FROM outreach_recipients r JOIN incoming_requests i ON i.request_id = r.request_id
                 WHERE r.member_seq = m.seq AND i.channel = 'SMS' ORDER BY r.selected_at DESC LIMIT 1)
         FROM m RETURNING member_seq`,
        [phone],
      );
      await this.recorded(tx, "SMS", "SMS_REPLY", changed.rowCount ?? 0, null);
      return changed.rowCount ?? 0;
    });
  }

  /** The recipient of this message stops getting messages on its request's channel; false for an unknown key. */
  async optOutMessage(messageKey: string, source: OptOutSource): Promise<boolean> {
    return withTransaction(this.pool, async (tx) => {
      const found = await tx.client.query<{ member_seq: number; request_id: string; channel: Channel }>(
        `SELECT r.member_seq, r.request_id, i.channel FROM outreach_recipients r JOIN incoming_requests i ON i.request_id = r.request_id
         WHERE r.message_key = $1`,
        [messageKey],
      );
      const recipient = found.rows[0];
      if (!recipient) return false;
      const column = CONSENT_COLUMN[recipient.channel];
      const changed = await tx.client.query(`UPDATE members SET ${column} = false, updated_at = now() WHERE seq = $1 AND ${column}`, [recipient.member_seq]);
      if ((changed.rowCount ?? 0) > 0) {
        await tx.client.query("INSERT INTO opt_outs (member_seq, channel, source, request_id) VALUES ($1, $2, $3, $4)", [
          recipient.member_seq,
          recipient.channel,
          source,
          recipient.request_id,
        ]);
      }
      await this.recorded(tx, recipient.channel, source, changed.rowCount ?? 0, recipient.request_id);
      return true;
    });
  }

  private async recorded(tx: Transaction, channel: Channel, source: OptOutSource, members: number, requestId: string | null): Promise<void> {
    if (members === 0) return;
    await this.audit.record(tx, {
      type: "member.opted_out",
      actor: { kind: "recipient", via: source },
      subject: requestId ? { kind: "outreach-request", id: requestId } : { kind: "brand", brand: this.brandId },
      payload: { channel, source, members },
    });
  }
}

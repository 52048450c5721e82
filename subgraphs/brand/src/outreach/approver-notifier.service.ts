import nodemailer from "nodemailer";
import type pg from "pg";
import { withTransaction } from "../db/transaction.js";
import { IncomingRequestRepository } from "./incoming-request.repository.js";
import type { IncomingRequestRecord } from "./incoming-request.repository.js";

export interface ApproverNotifierSettings {
  brandId: string;
  /** The brand approver's address. */
  to: string;
  from: string;
  smtpUrl: string;
  /** A pending request this close to its expiry (hours) is announced once more. */
  expiryNoticeHours: number;
}

const BATCH = 50;

/**
 * Tells the brand's approver, by email, of each new request and of each one about to expire,
 * once each: a notice is marked sent in the transaction that holds the request's row (locked,
 * skipping rows another run holds), so two runs never send the same notice and a sent one is
 * never sent again. A crash between the server's acceptance and the commit sends it once more
 * (at least once, never lost). The email names the requester brand, channel, purpose and the
 * request's id and expiry: no member data (the node has none to give for a request not sent yet).
 */
export class ApproverNotifier {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(
    private readonly settings: ApproverNotifierSettings,
    private readonly pool: pg.Pool,
  ) {
    this.transport = nodemailer.createTransport({
      url: settings.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  /** One pass: every notice due now. Returns how many were sent. */
  async run(): Promise<number> {
    let sent = 0;
    for (const kind of ["new", "expiring"] as const) {
      for (;;) {
        const batch = await withTransaction(this.pool, async (tx) => {
          const repository = new IncomingRequestRepository(tx.db);
          const due = await repository.awaitingNotice(kind, this.settings.expiryNoticeHours, BATCH);
          for (const request of due) {
            await this.transport.sendMail(this.mailOf(kind, request));
            await repository.markNoticed(request.requestId, kind);
          }
          return due.length;
        });
        sent += batch;
        if (batch < BATCH) break;
      }
    }
    return sent;
  }

  close(): void {
    this.transport.close();
  }

  private mailOf(kind: "new" | "expiring", request: IncomingRequestRecord) {
    const expires = request.expiresAt.toISOString();
    const subject =
      kind === "new"
        ? `[brandpool] New outreach request from ${request.requesterBrand} awaits your decision`
        : `[brandpool] Outreach request from ${request.requesterBrand} expires at ${expires}`;
    const text = [
      kind === "new"
        ? `${request.requesterBrand} asks ${this.settings.brandId} to reach members who match its request.`
        : `This request from ${request.requesterBrand} is still pending and expires at ${expires}; after that it can no longer be decided.`,
      "",
      `Request: ${request.requestId}`,
      `Channel: ${request.channel}`,
      `Purpose: ${request.purpose}`,
      `Requested at most: ${request.maxRecipients} recipients`,
      `Expires: ${expires}`,
      `Content hash: ${request.contentHash}`,
      "",
      "Read it and decide with outreachRequest(id) and decideOutreachRequest through the gateway.",
    ].join("\n");
    return { from: this.settings.from, to: this.settings.to, subject, text, headers: { "X-Brandpool-Request": request.requestId, "X-Brandpool-Notice": kind } };
  }
}

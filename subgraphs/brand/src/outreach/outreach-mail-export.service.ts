import type pg from "pg";
import { eq } from "drizzle-orm";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { Database } from "../db/database.js";
import { incomingRequests } from "../db/incoming-request.table.js";
import { withTransaction } from "../db/transaction.js";
import { MAIL_EXPORT_HEADER, readMailExport } from "../delivery/mail-export-files.js";
import type { MailExport } from "./outreach-mail-export.type.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The owner's download of a MAIL request's export (issue 8: mail as an export file only the owner
 * downloads). Served on the owner's own node through the gateway; each download is recorded in the
 * owner's log with who and how many rows, never the rows themselves.
 */
export class OutreachMailExportService {
  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: NodeAudit,
    /** MAIL_EXPORT_DIR; unset, this node exports no mail and every export is empty. */
    private readonly dir: string | undefined,
    /**
     * MAIL_EXPORT_MAX_BYTES (8 MiB, some 20,000 letters): a larger export is refused whole with
     * LIMIT_EXCEEDED, never cut. It needs a streamed download, which this node does not offer yet
     * (the parts are in MAIL_EXPORT_DIR on the owner's own machine meanwhile).
     */
    private readonly maxBytes: number,
  ) {}

  async download(requestId: string, actor: JsonObject): Promise<MailExport> {
    if (!UUID.test(requestId)) throw new AppError("NOT_FOUND", "No such outreach request on this node.");
    const [request] = await this.db
      .select({ channel: incomingRequests.channel })
      .from(incomingRequests)
      .where(eq(incomingRequests.requestId, requestId));
    if (!request) throw new AppError("NOT_FOUND", "No such outreach request on this node.");
    if (request.channel !== "MAIL") {
      throw new AppError("BAD_INPUT", "This request is not sent by MAIL: it has no mail export.", { fields: [{ field: "requestId", reason: "not a MAIL request" }] });
    }
    const exported = this.dir ? await readMailExport(this.dir, requestId, this.maxBytes) : { rows: 0, csv: MAIL_EXPORT_HEADER };
    if (exported === "TOO_LARGE") {
      throw new AppError("LIMIT_EXCEEDED", `This export is larger than ${this.maxBytes} bytes: fetch it from MAIL_EXPORT_DIR on the node.`, { limit: this.maxBytes });
    }
    await withTransaction(this.pool, (tx) =>
      this.audit.record(tx, {
        type: "outreach.mail_exported",
        actor,
        subject: { kind: "outreach-request", id: requestId },
        payload: { requestId, rows: exported.rows, bytes: Buffer.byteLength(exported.csv) },
      }),
    );
    return { requestId, rows: exported.rows, csv: exported.csv };
  }
}

import { AppError } from "@brandpool/errors";
import type { Database } from "../db/database.js";
import { decodeCursor, encodeCursor } from "../members/global-id.js";
import type { MemberService } from "../members/member.service.js";
import { OutreachResultsRepository } from "../privacy-ledger/outreach-results.repository.js";
import { OutreachDeliveriesRepository } from "./outreach-deliveries.repository.js";
import type { OutreachRecipientConnection } from "./outreach-deliveries.type.js";

const MAX_PAGE = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the owner sees of a request it received: the exact figures and each recipient with member
 * detail. Served on the owner's own node to its own principals only (a root field of the brand
 * subgraph, Cedar `ListMembers`); nothing of it is ever released to the requester.
 */
export class OutreachDeliveriesService {
  constructor(
    private readonly db: Database,
    private readonly members: Pick<MemberService, "toMember">,
  ) {}

  async list(args: { requestId: string; first: number | null; after: string | null }): Promise<OutreachRecipientConnection> {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1) throw new AppError("BAD_INPUT", "first must be at least 1.", { fields: [{ field: "first", reason: "must be at least 1" }] });
    if (first > MAX_PAGE) throw new AppError("LIMIT_EXCEEDED", `first must be at most ${MAX_PAGE}.`, { field: "first", limit: MAX_PAGE });
    const after = args.after ? decodeCursor(args.after) : null;
    const repository = new OutreachDeliveriesRepository(this.db);
    if (!UUID.test(args.requestId) || !(await repository.requestExists(args.requestId))) throw new AppError("NOT_FOUND", "No such outreach request on this node.");
    const rows = await repository.page(args.requestId, after, first + 1);
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({
      cursor: encodeCursor(row.memberSeq),
      node: {
        member: this.members.toMember(row.member),
        status: row.status,
        attempts: row.attempts,
        couponCode: row.couponCode,
        redeemedAt: row.redeemedAt?.toISOString() ?? null,
        finishedAt: row.finishedAt?.toISOString() ?? null,
      },
    }));
    return {
      figures: await new OutreachResultsRepository(this.db).exactFigures(args.requestId),
      edges,
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}

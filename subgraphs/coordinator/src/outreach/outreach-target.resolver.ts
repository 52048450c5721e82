import { Authorized, FieldResolver, Resolver, Root } from "type-graphql";
import type { Database } from "../db/database.js";
import { OutreachResultsRepository } from "./outreach-results.repository.js";
import { OutreachResults } from "./outreach-results.type.js";
import { OutreachTarget } from "./outreach-request.type.js";

const HOUR_MS = 3_600_000;

/**
 * Fields of a request's target beyond its status. A target is reached only through a request its
 * viewer made or is a target of (`OutreachRequestService.toRequest` picks the visible targets), so
 * the requester sees every target's released results and an owner its own.
 */
@Resolver(() => OutreachTarget)
export class OutreachTargetResolver {
  constructor(private readonly db: Database) {}

  @Authorized("ReadOutreachRequests")
  @FieldResolver(() => OutreachResults, { nullable: true, description: "Released results; null until the target's node releases them." })
  async results(@Root() target: OutreachTarget): Promise<OutreachResults | null> {
    const row = await new OutreachResultsRepository(this.db).find(target.requestId, target.brandId);
    if (!row) return null;
    return {
      contacted: row.contacted,
      delivered: row.delivered,
      failed: row.failed,
      redeemed: row.redeemed,
      margin95: row.margin95,
      threshold: row.threshold,
      releaseNumber: row.releaseNumber,
      releasedAt: new Date(Math.floor(row.releasedAt.getTime() / HOUR_MS) * HOUR_MS).toISOString(),
    };
  }
}

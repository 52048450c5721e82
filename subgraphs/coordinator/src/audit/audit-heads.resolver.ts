import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { AppError } from "@brandpool/errors";
import type { CoordinatorContext } from "../auth/request-context.js";
import { AuditHeadReceipt, RecordedAuditHead } from "./audit-head.type.js";
import type { AuditHeadsService } from "./audit-heads.service.js";

@Resolver()
export class AuditHeadsResolver {
  constructor(private readonly heads: AuditHeadsService) {}

  @Authorized("RecordEvent")
  @Mutation(() => AuditHeadReceipt, {
    description:
      "A brand node pushes its signed chain head (a compact JWS by its registered node key): recorded in the platform log, refused if it goes back or contradicts one recorded. Nodes only, for their own brand.",
  })
  async recordAuditHead(@Arg("head", () => String) head: string, @Ctx() context: CoordinatorContext): Promise<AuditHeadReceipt> {
    return this.heads.record(await context.principal(), head);
  }

  @Authorized("ReadAuditHeads")
  @Query(() => [RecordedAuditHead], { description: "The chain heads recorded for the calling node's own brand, in sequence order. Nodes only." })
  async auditHeads(
    @Arg("after", () => Int, { nullable: true, description: "A sequence number; default 0." }) after: number | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 1,000; default 1,000." }) first: number | null,
    @Ctx() context: CoordinatorContext,
  ): Promise<RecordedAuditHead[]> {
    const principal = await context.principal();
    if (principal.kind !== "node") throw new AppError("FORBIDDEN");
    const heads = await this.heads.headsOf(principal.brand.id, after ?? 0, first ?? 1000);
    return heads.map((head) => ({ sequence: head.seq, hash: head.hash, eventId: head.eventId }));
  }
}

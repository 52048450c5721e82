import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { AuditChainVerification, AuditEventConnection, AuditExportPage } from "@brandpool/subgraph-kit";
import type { CoordinatorContext } from "../auth/request-context.js";
import type { PlatformAudit } from "./platform-audit.service.js";

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: PlatformAudit) {}

  @Authorized("ReadPlatformAudit")
  @Query(() => AuditChainVerification, { description: "Checks the platform audit log. Platform auditors only." })
  verifyAuditChain(): Promise<AuditChainVerification> {
    return this.audit.verify();
  }

  @Authorized("ReadAuditEvents")
  @Query(() => AuditEventConnection, {
    description:
      "The platform audit log, oldest first. A brand's auditor sees the events where its brand is actor or target; the platform auditor sees all. Auditors only.",
  })
  async auditEvents(
    @Arg("first", () => Int, { nullable: true, description: "At most 100; default 20." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("action", () => String, { nullable: true, description: "Only events of this type, e.g. outreach.requested." }) action: string | null,
    @Arg("brandId", () => ID, { nullable: true, description: "Only events where this brand is actor or target." }) brandId: string | null,
    @Ctx() context: CoordinatorContext,
  ): Promise<AuditEventConnection> {
    return this.audit.list(await context.principal(), { first, after, action, brandId });
  }

  @Authorized("ReadPlatformAudit")
  @Query(() => AuditExportPage, {
    description: "The platform audit log as JSON Lines, a page at a time (`npm run audit:export`). Platform auditors only.",
  })
  auditExport(
    @Arg("after", () => Int, { nullable: true, description: "A sequence number; default 0 (from the start)." }) after: number | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 1,000; default 1,000." }) first: number | null,
  ): Promise<AuditExportPage> {
    return this.audit.exportPage(after ?? 0, first ?? 1000);
  }
}

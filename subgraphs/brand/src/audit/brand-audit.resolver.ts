import { Arg, Authorized, FieldResolver, ID, Int, Resolver, Root } from "type-graphql";
import { isAppError } from "@brandpool/errors";
import type { RecordedAuditHead } from "@brandpool/audit-chain";
import { AuditChainVerification, AuditEventConnection, AuditExportPage, auditEventConnection } from "@brandpool/subgraph-kit";
import { Brand } from "../brand/brand.type.js";
import type { NodeAudit } from "./node-audit.service.js";

/** The node's own audit log, for that brand's auditors and the platform auditor (Cedar ReadBrandAudit). */
@Resolver(() => Brand)
export class BrandAuditResolver {
  constructor(
    private readonly audit: NodeAudit,
    /** The heads of this node's chain that the coordinator recorded (read through the gateway). */
    private readonly recordedHeads: () => Promise<RecordedAuditHead[]>,
  ) {}

  @Authorized("ReadBrandAudit")
  @FieldResolver(() => AuditChainVerification, {
    nullable: true,
    description: "Checks this brand node's own audit log, link by link and against its signed heads recorded at the coordinator.",
  })
  async verifyAuditChain(@Root() _brand: Brand): Promise<AuditChainVerification> {
    let heads: RecordedAuditHead[] | null;
    try {
      heads = await this.recordedHeads();
    } catch (error) {
      // The coordinator or gateway down: the chain is still checked, and headsChecked says the heads were not.
      if (!(isAppError(error) && error.code === "UNAVAILABLE")) throw error;
      heads = null;
    }
    return this.audit.verify(heads);
  }

  @Authorized("ReadBrandAudit")
  @FieldResolver(() => AuditEventConnection, { nullable: true, description: "This brand node's own audit log, oldest first." })
  async auditEvents(
    @Root() _brand: Brand,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; default 20." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("action", () => String, { nullable: true, description: "Only events of this type, e.g. outreach.approved." }) action: string | null,
    @Arg("brandId", () => ID, { nullable: true, description: "Only events where this brand is actor or target." }) brandId: string | null,
  ): Promise<AuditEventConnection> {
    return auditEventConnection(await this.audit.list({ first, after, action, brandId }));
  }

  @Authorized("ReadBrandAudit")
  @FieldResolver(() => AuditExportPage, { nullable: true, description: "This node's audit log as JSON Lines, a page at a time (`npm run audit:export`)." })
  auditExport(
    @Root() _brand: Brand,
    @Arg("after", () => Int, { nullable: true, description: "A sequence number; default 0 (from the start)." }) after: number | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 1,000; default 1,000." }) first: number | null,
  ): Promise<AuditExportPage> {
    return this.audit.exportPage(after ?? 0, first ?? 1000);
  }
}

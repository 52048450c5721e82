import { Authorized, Query, Resolver } from "type-graphql";
import { AuditChainVerification } from "@brandpool/subgraph-kit";
import type { PlatformAudit } from "./platform-audit.service.js";

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: PlatformAudit) {}

  @Authorized("ReadPlatformAudit")
  @Query(() => AuditChainVerification, { description: "Checks the platform audit log. Platform auditors only." })
  verifyAuditChain(): Promise<AuditChainVerification> {
    return this.audit.verify();
  }
}

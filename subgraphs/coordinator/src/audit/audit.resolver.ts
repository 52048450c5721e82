import { Authorized, Field, Int, ObjectType, Query, Resolver, Directive } from "type-graphql";
import type { PlatformAudit } from "./platform-audit.service.js";

@Directive("@shareable")
@ObjectType({ description: "The result of checking an audit log's hash chain." })
export class AuditChainVerification {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) checked!: number;
  @Field(() => String, { nullable: true, description: "The first event whose link is broken." })
  firstBrokenEventId!: string | null;
}

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: PlatformAudit) {}

  @Authorized("ReadPlatformAudit")
  @Query(() => AuditChainVerification, { description: "Checks the platform audit log. Platform auditors only." })
  verifyAuditChain(): Promise<AuditChainVerification> {
    return this.audit.verify();
  }
}

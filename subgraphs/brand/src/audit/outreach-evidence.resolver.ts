import { Authorized, FieldResolver, Resolver, Root } from "type-graphql";
import type { OutreachEvidence } from "./outreach-evidence.service.js";
import { OutreachTargetEvidence } from "./outreach-evidence.type.js";

@Resolver(() => OutreachTargetEvidence)
export class OutreachEvidenceResolver {
  constructor(private readonly evidence: OutreachEvidence) {}

  @Authorized("ReadBrandAudit")
  @FieldResolver(() => String, {
    nullable: true,
    description: "This node's events about the request as JSON (ids, types, statuses, released figures, commitments and whether its exact figures match them; no exact figure). Its auditors and the platform auditor.",
  })
  async ownerEvents(@Root() target: OutreachTargetEvidence): Promise<string> {
    return JSON.stringify(await this.evidence.of(target.requestId));
  }
}

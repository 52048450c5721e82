import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from "type-graphql";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { RequestContext } from "../auth/request-context.js";
import type { OutreachDecisions } from "./outreach-decision.service.js";
import { OutreachDecision, OutreachDecisionResult } from "./outreach-decision.type.js";

@Resolver()
export class OutreachDecisionResolver {
  constructor(private readonly decisions: OutreachDecisions) {}

  @Authorized("DecideOutreach")
  @Mutation(() => OutreachDecisionResult, {
    description:
      "Your brand's approver or admin approves (optionally with a lower cap) or declines a request addressed to your brand, against the content hash you read. Runs on your own node; audited.",
  })
  async decideOutreachRequest(
    @Arg("requestId", () => ID) requestId: string,
    @Arg("contentHash", () => String, { description: "The hash of the request as you read it: a different one is refused." }) contentHash: string,
    @Arg("decision", () => OutreachDecision) decision: OutreachDecision,
    @Arg("reason", () => String, { nullable: true, description: "A decline's reason, kept by your brand only." }) reason: string | null,
    @Arg("cap", () => Int, { nullable: true, description: "An approval's cap: 1 to the requested maximum (the default)." }) cap: number | null,
    @Ctx() context: RequestContext,
  ): Promise<OutreachDecisionResult> {
    const principal = await context.principal();
    if (principal.kind !== "user") throw new AppError("FORBIDDEN");
    return this.decisions.decide(
      { requestId, contentHash, decision: decision === OutreachDecision.APPROVE ? "APPROVE" : "DECLINE", reason, cap },
      { kind: "person", subject: principal.subject, actor: principalActor(principal) },
    );
  }
}

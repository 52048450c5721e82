import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../auth/request-context.js";
import { TargetStatusValue } from "./outreach-decision.type.js";
import type { OutreachTargetService } from "./outreach-target.service.js";
import { OutreachTarget } from "./outreach-target.type.js";

@Resolver(() => OutreachTarget)
export class OutreachTargetResolver {
  constructor(private readonly targets: OutreachTargetService) {}

  @Authorized("ReadOutreachTarget")
  // The owner's node is the source of truth: the field is answered here, not from the
  // coordinator's copy (which only the pushed events keep, and which the lists filter on).
  @Directive('@override(from: "coordinator")')
  @FieldResolver(() => TargetStatusValue, { nullable: true, description: "The status at the target's own node (null when it is unreachable)." })
  async status(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<`${TargetStatusValue}` | null> {
    return (await this.targets.view(await context.principal(), target.requestId)).status;
  }

  @Authorized("ReadOutreachTarget")
  @FieldResolver(() => String, { nullable: true, description: "The owner's decline reason: for the owner's people only, null for the requester." })
  async reason(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<string | null> {
    return (await this.targets.view(await context.principal(), target.requestId)).reason;
  }
}

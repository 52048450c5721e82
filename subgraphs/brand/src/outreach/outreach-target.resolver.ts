import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../auth/request-context.js";
import { OutreachCopy } from "./outreach-copy.type.js";
import { DecidedByValue, TargetStatusValue } from "./outreach-decision.type.js";
import type { OutreachTargetService, TargetView } from "./outreach-target.service.js";
import { OutreachTarget } from "./outreach-target.type.js";

@Resolver(() => OutreachTarget)
export class OutreachTargetResolver {
  /** One read per target and operation, whether it asks for status, reason or both. */
  private readonly views = new WeakMap<object, Map<string, Promise<TargetView>>>();

  constructor(private readonly targets: OutreachTargetService) {}

  private async view(target: OutreachTarget, context: RequestContext): Promise<TargetView> {
    let perOperation = this.views.get(context);
    if (!perOperation) this.views.set(context, (perOperation = new Map()));
    let view = perOperation.get(target.requestId);
    if (!view) perOperation.set(target.requestId, (view = context.principal().then((principal) => this.targets.view(principal, target.requestId))));
    return view;
  }

  @Authorized("ReadOutreachTarget")
  // The owner's node is the source of truth: the field is answered here, not from the
  // coordinator's copy (which only the pushed events keep, and which the lists filter on).
  @Directive('@override(from: "coordinator")')
  @FieldResolver(() => TargetStatusValue, { nullable: true, description: "The status at the target's own node (null when it is unreachable)." })
  async status(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<`${TargetStatusValue}` | null> {
    return (await this.view(target, context)).status;
  }

  @Authorized("ReadOutreachTarget")
  @FieldResolver(() => String, { nullable: true, description: "The owner's decline reason: for the owner's people only, null for the requester." })
  async reason(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<string | null> {
    return (await this.view(target, context)).reason;
  }

  @Authorized("ReadOutreachTarget")
  @FieldResolver(() => DecidedByValue, {
    nullable: true,
    description: "Who made the decision (an approver, your rules, your minimum audience, the expiry): for the owner's people only, null for the requester.",
  })
  async decidedBy(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<`${DecidedByValue}` | null> {
    return (await this.view(target, context)).decidedBy;
  }

  @Authorized("ReadOutreachTarget")
  @FieldResolver(() => OutreachCopy, {
    nullable: true,
    description: "Your node's stored copy (message, subject, hash...): for your brand's staff when it is the target, null for the requester.",
  })
  async copy(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<OutreachCopy | null> {
    return (await this.view(target, context)).copy;
  }
}

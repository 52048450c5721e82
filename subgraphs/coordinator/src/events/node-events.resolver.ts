import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import { NodeEventInput, NodeEventStatus, PolicyDenialInput, RecordEventsResult } from "./node-event.type.js";
import type { NodeEventsService } from "./node-events.service.js";

@Resolver()
export class NodeEventsResolver {
  constructor(private readonly events: NodeEventsService) {}

  @Authorized("RecordEvent")
  @Mutation(() => RecordEventsResult, {
    description: "A brand node pushes its events: each is accepted (idempotent by brand and id) or refused on its own. Nodes only.",
  })
  async recordNodeEvents(
    @Arg("events", () => [NodeEventInput]) events: NodeEventInput[],
    @Ctx() context: CoordinatorContext,
  ): Promise<RecordEventsResult> {
    const { recorded, outcomes } = await this.events.recordFromNode(await context.principal(), events);
    return { recorded, accepted: recorded, outcomes: outcomes.map((outcome) => ({ ...outcome, status: NodeEventStatus[outcome.status] })) };
  }

  @Authorized("RecordEvent")
  @Mutation(() => Boolean, { description: "The gateway reports a denial of its Cedar check. Gateway only." })
  async recordPolicyDenial(@Arg("input", () => PolicyDenialInput) input: PolicyDenialInput, @Ctx() context: CoordinatorContext): Promise<boolean> {
    await this.events.recordDenial(await context.principal(), input);
    return true;
  }
}

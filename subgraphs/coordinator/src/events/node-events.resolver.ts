import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import { NodeEventInput, PolicyDenialInput, RecordEventsResult } from "./node-event.type.js";
import type { NodeEventsService } from "./node-events.service.js";

@Resolver()
export class NodeEventsResolver {
  constructor(private readonly events: NodeEventsService) {}

  @Authorized("RecordEvent")
  @Mutation(() => RecordEventsResult, { description: "A brand node pushes its events (idempotent by id). Nodes only." })
  async recordNodeEvents(
    @Arg("events", () => [NodeEventInput]) events: NodeEventInput[],
    @Ctx() context: CoordinatorContext,
  ): Promise<RecordEventsResult> {
    return { accepted: await this.events.recordFromNode(await context.principal(), events) };
  }

  @Authorized("RecordEvent")
  @Mutation(() => Boolean, { description: "The gateway reports a denial of its Cedar check. Gateway only." })
  async recordPolicyDenial(@Arg("input", () => PolicyDenialInput) input: PolicyDenialInput, @Ctx() context: CoordinatorContext): Promise<boolean> {
    await this.events.recordDenial(await context.principal(), input);
    return true;
  }
}

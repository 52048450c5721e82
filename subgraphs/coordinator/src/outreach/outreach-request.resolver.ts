import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import { CreateOutreachRequestInput } from "./create-outreach-request.input.js";
import type { OutreachRequestService } from "./outreach-request.service.js";
import { OutreachDirection, OutreachRequest, OutreachRequestConnection, TargetStatus } from "./outreach-request.type.js";

@Resolver(() => OutreachRequest)
export class OutreachRequestResolver {
  constructor(private readonly requests: OutreachRequestService) {}

  @Authorized("RequestOutreach")
  @Mutation(() => OutreachRequest, {
    description: "Asks partner brands' nodes to reach their members who match; every target starts PENDING. Audited.",
  })
  async createOutreachRequest(
    @Arg("input", () => CreateOutreachRequestInput) input: CreateOutreachRequestInput,
    @Ctx() context: CoordinatorContext,
  ): Promise<OutreachRequest> {
    return this.requests.create(await context.principal(), input);
  }

  @Authorized("RequestOutreach")
  @Mutation(() => OutreachRequest, {
    description: "Cancels every target not yet sending (PENDING or APPROVED); their nodes learn of it as they learned of the request. The request as it stands after; CONFLICT if no target could be cancelled. Your brand's requests only. Audited.",
  })
  async cancelOutreachRequest(@Arg("requestId", () => ID) requestId: string, @Ctx() context: CoordinatorContext): Promise<OutreachRequest> {
    const principal = await context.principal();
    await this.requests.cancel(principal, requestId);
    return this.requests.get(principal, requestId);
  }

  @Authorized("ReadOutreachRequests")
  @Query(() => OutreachRequestConnection, { description: "Requests from your brand (OUTGOING) or to it (INCOMING), newest first." })
  async outreachRequests(
    @Arg("direction", () => OutreachDirection) direction: OutreachDirection,
    @Arg("status", () => [TargetStatus], { nullable: true, description: "Only requests with a target (INCOMING: yours) in one of these." })
    status: TargetStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; default 20." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() context: CoordinatorContext,
  ): Promise<OutreachRequestConnection> {
    return this.requests.list(await context.principal(), { direction, statuses: status, first, after });
  }

  @Authorized("ReadOutreachRequests")
  @Query(() => OutreachRequest, { nullable: true, description: "One request your brand made or is a target of; NOT_FOUND otherwise." })
  async outreachRequest(@Arg("id", () => ID) id: string, @Ctx() context: CoordinatorContext): Promise<OutreachRequest> {
    return this.requests.get(await context.principal(), id);
  }
}

import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import type { OutreachDeliveryService } from "./outreach-delivery.service.js";
import { OutreachInbox } from "./outreach-delivery.type.js";

@Resolver()
export class OutreachDeliveryResolver {
  constructor(private readonly deliveries: OutreachDeliveryService) {}

  @Authorized("PullOutreach")
  @Query(() => OutreachInbox, { description: "The calling node's undelivered outreach requests and cancellations, in delivery order. Nodes only, their own brand." })
  async outreachInbox(
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; default 20." }) first: number | null,
    @Ctx() context: CoordinatorContext,
  ): Promise<OutreachInbox> {
    return this.deliveries.inbox(await context.principal(), { after, first });
  }

  @Authorized("PullOutreach")
  @Mutation(() => Boolean, { description: "The calling node stored this version of its target of a request (idempotent; audited once). Nodes only." })
  async acknowledgeOutreach(
    @Arg("requestId", () => ID) requestId: string,
    @Arg("version", () => Int) version: number,
    @Ctx() context: CoordinatorContext,
  ): Promise<boolean> {
    return this.deliveries.acknowledge(await context.principal(), requestId, version);
  }
}

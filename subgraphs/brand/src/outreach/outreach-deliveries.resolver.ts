import { Arg, Authorized, ID, Int, Query, Resolver } from "type-graphql";
import type { OutreachDeliveriesService } from "./outreach-deliveries.service.js";
import { OutreachRecipientConnection } from "./outreach-deliveries.type.js";

@Resolver()
export class OutreachDeliveriesResolver {
  constructor(private readonly service: OutreachDeliveriesService) {}

  @Authorized("ListMembers")
  @Query(() => OutreachRecipientConnection, {
    description: "Your node's recipients of a request your brand received, with member detail, and its exact figures. Your own brand only.",
  })
  outreachDeliveries(
    @Arg("requestId", () => ID) requestId: string,
    @Arg("first", () => Int, { nullable: true, description: "At most 100; default 20." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<OutreachRecipientConnection> {
    return this.service.list({ requestId, first, after });
  }
}

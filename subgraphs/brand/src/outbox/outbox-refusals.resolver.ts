import { Arg, Authorized, Int, Query, Resolver } from "type-graphql";
import { OutboxRefusalConnection } from "./outbox-refusal.type.js";
import type { OutboxRefusalService } from "./outbox-refusal.service.js";

@Resolver()
export class OutboxRefusalsResolver {
  constructor(private readonly refusals: OutboxRefusalService) {}

  @Authorized("ReadOutboxRefusals")
  @Query(() => OutboxRefusalConnection, {
    description: "Events your brand's node owed the coordinator and set aside because it refused them, newest first. Admins and auditors of your brand.",
  })
  outboxRefusals(
    @Arg("first", () => Int, { nullable: true, description: "At most 100; default 20." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<OutboxRefusalConnection> {
    return this.refusals.list({ first, after });
  }
}

import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import { isAction } from "@brandpool/policy";
import type { RequestContext } from "../auth/request-context.js";
import type { NodeAudit } from "./node-audit.service.js";

@InputType({ description: "A denial the gateway's Cedar check made about this brand." })
export class GatewayDenialInput {
  @Field(() => String) action!: string;
  @Field(() => GraphQLJSONObject) actor!: Record<string, unknown>;
}

@Resolver()
export class DenialResolver {
  constructor(private readonly audit: NodeAudit) {}

  @Authorized("RecordEvent")
  @Mutation(() => Boolean, { description: "The gateway records its denials about this brand in this node's log, at a bounded rate per principal (false: dropped). Gateway only." })
  async recordGatewayDenial(@Arg("input", () => GatewayDenialInput) input: GatewayDenialInput, @Ctx() { caller }: RequestContext): Promise<boolean> {
    // The policy also lets a node record events about its own brand; gateway denials are the gateway's alone.
    if (caller.kind !== "gateway") throw new AppError("FORBIDDEN", "Only the gateway reports its denials.");
    if (!isAction(input.action) && input.action !== "Unknown") throw new AppError("BAD_INPUT", "Unknown action.");
    const actor = Object.fromEntries(
      Object.entries(input.actor).filter(([key, value]) => ["kind", "subject", "role", "brand"].includes(key) && (typeof value === "string" || value === null)),
    ) as JsonObject;
    return this.audit.recordGatewayDenial(input.action, actor);
  }
}

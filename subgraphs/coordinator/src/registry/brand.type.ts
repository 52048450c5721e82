import { Directive, Field, ID, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A brand of the pool, as the registry knows it." })
export class Brand {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: "The brand's name in 简体中文." }) nameZh!: string | null;
  @Field(() => Boolean, { description: "Takes part in the pool (estimates, requests)." }) admitted!: boolean;
  @Field(() => String, { description: "IANA time zone; months and quiet hours follow it." }) timeZone!: string;
}

@ObjectType({ description: "How the gateway reaches and verifies a brand. Gateway only." })
export class BrandRoute {
  @Field(() => ID) id!: string;
  @Field(() => String) nodeUrl!: string;
  @Field(() => Boolean) admitted!: boolean;
  @Field(() => String) issuer!: string;
  @Field(() => GraphQLJSONObject, { description: "JWK set of the brand's issuer." }) issuerKeys!: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { description: "Public JWK of the brand's node." }) nodeKey!: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { nullable: true, description: "JWK set of the gateways the brand's node trusts." })
  gatewayKeys!: Record<string, unknown> | null;
}

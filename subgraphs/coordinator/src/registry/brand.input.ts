import { Field, ID, InputType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";

@InputType()
export class RegisterBrandInput {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) nameZh?: string | null;
  @Field(() => String) nodeUrl!: string;
  @Field(() => GraphQLJSONObject) nodeKey!: Record<string, unknown>;
  @Field(() => String) issuer!: string;
  @Field(() => GraphQLJSONObject) issuerKeys!: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { nullable: true, description: "JWK set of the gateways the brand's node trusts." })
  gatewayKeys?: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) timeZone?: string | null;
}

@InputType({ description: "Only the fields given change." })
export class UpdateBrandInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) nameZh?: string | null;
  @Field(() => String, { nullable: true }) nodeUrl?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) nodeKey?: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) issuer?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) issuerKeys?: Record<string, unknown> | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) gatewayKeys?: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) timeZone?: string | null;
}

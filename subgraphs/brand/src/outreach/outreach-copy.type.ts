import { Field, ID, Int, ObjectType } from "type-graphql";

/**
 * The owner's own copy of a request, as its node stored it after re-checking the hash: what the
 * owner's approver decides on and what its node would send (never the coordinator's copy).
 */
@ObjectType({ description: "Your node's stored copy of a request addressed to your brand: what you decide on." })
export class OutreachCopy {
  @Field(() => ID) requestId!: string;
  @Field(() => ID) requesterBrandId!: string;
  @Field(() => String) expression!: string;
  @Field(() => String, { description: "SMS, EMAIL or MAIL." }) channel!: string;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => String) message!: string;
  @Field(() => String) purpose!: string;
  @Field(() => Int) maxRecipients!: number;
  @Field(() => String, { description: "ISO 8601." }) sendAfter!: string;
  @Field(() => String, { description: "ISO 8601." }) expiresAt!: string;
  @Field(() => String, { description: "The hash your node computed at receipt: pass it to decideOutreachRequest." }) contentHash!: string;
  @Field(() => String, { description: "ISO 8601." }) receivedAt!: string;
  @Field(() => Int, { nullable: true, description: "The cap your brand approved, once approved." }) approvedCap!: number | null;
}

import { Field, ID, Int, ObjectType } from "type-graphql";
import { RequestChannel, TargetStatus } from "./outreach-request.type.js";

@ObjectType({ description: "One request as its target node must store it: the full content (the node re-checks the hash) and this target's version." })
export class OutreachDelivery {
  @Field(() => ID) requestId!: string;
  @Field(() => Int, { description: "This target's version: a later one (a cancellation) replaces what the node holds." }) version!: number;
  @Field(() => TargetStatus) status!: `${TargetStatus}`;
  @Field(() => ID) requesterBrandId!: string;
  @Field(() => [ID], { description: "Every target of the request: the content hash covers them." }) targetBrandIds!: string[];
  @Field(() => String) expression!: string;
  @Field(() => RequestChannel) channel!: `${RequestChannel}`;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => String) message!: string;
  @Field(() => String) purpose!: string;
  @Field(() => Int) maxRecipientsPerBrand!: number;
  @Field(() => String, { description: "ISO 8601 with milliseconds." }) sendAfter!: string;
  @Field(() => String, { description: "ISO 8601 with milliseconds." }) expiresAt!: string;
  @Field(() => String) contentHash!: string;
}

@ObjectType({ description: "What the calling node has not yet acknowledged, in delivery order." })
export class OutreachInbox {
  @Field(() => [OutreachDelivery]) deliveries!: OutreachDelivery[];
  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null at the end." }) endCursor!: string | null;
}

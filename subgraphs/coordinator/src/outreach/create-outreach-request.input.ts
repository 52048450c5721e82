import { Field, ID, InputType, Int } from "type-graphql";
import { RequestChannel } from "./outreach-request.type.js";

@InputType({ description: "What a requester asks its partners' nodes to send." })
export class CreateOutreachRequestInput {
  @Field(() => [ID], { description: "Admitted partner brands, not your own; at most 19." }) targetBrandIds!: string[];
  @Field(() => String, { description: "A tag expression; no sensitive tags." }) expression!: string;
  @Field(() => RequestChannel) channel!: `${RequestChannel}`;
  @Field(() => String, { nullable: true, description: "EMAIL only, required there." }) subject?: string | null;
  @Field(() => String, { description: "Plain text: {{coupon}} at most once and never inside a link, {{firstName}}." }) message!: string;
  @Field(() => String, { description: "Why, in a few words (shown to the owners' approvers)." }) purpose!: string;
  @Field(() => Int, { nullable: true, description: "Most recipients at each target (default 10,000; at most 1,000,000)." })
  maxRecipientsPerBrand?: number | null;
  @Field(() => String, { nullable: true, description: "Earliest send time (ISO 8601 with a zone; default now)." }) sendAfter?: string | null;
  @Field(() => String, { description: "When undecided targets expire (ISO 8601 with a zone; within 90 days)." }) expiresAt!: string;
}

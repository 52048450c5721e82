import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Member, MemberPageInfo } from "../members/member.type.js";

export enum OutreachRecipientStatus {
  QUEUED = "QUEUED",
  SENT = "SENT",
  FAILED = "FAILED",
  AMBIGUOUS = "AMBIGUOUS",
}
registerEnumType(OutreachRecipientStatus, {
  name: "OutreachRecipientStatus",
  description: "Where one recipient's message stands. AMBIGUOUS: an SMTP send whose outcome is unknown, never re-sent.",
});

@ObjectType({ description: "One member an outreach request reached on your node, with personal data. Never served to another brand." })
export class OutreachRecipient {
  @Field(() => Member) member!: Member;
  @Field(() => OutreachRecipientStatus) status!: `${OutreachRecipientStatus}`;
  @Field(() => Int, { description: "Delivery attempts made." }) attempts!: number;
  @Field(() => String, { description: "The coupon code issued to this member." }) couponCode!: string;
  @Field(() => String, { nullable: true, description: "ISO 8601; when the coupon was redeemed." }) redeemedAt!: string | null;
  @Field(() => String, { nullable: true, description: "ISO 8601; when sending to this member ended." }) finishedAt!: string | null;
}

@ObjectType()
export class OutreachRecipientEdge {
  @Field(() => OutreachRecipient) node!: OutreachRecipient;
  @Field(() => String) cursor!: string;
}

@ObjectType({ description: "The exact figures of one request on your node (the requester sees only noisy ones)." })
export class OutreachExactFigures {
  @Field(() => Int) contacted!: number;
  @Field(() => Int) delivered!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) redeemed!: number;
}

@ObjectType({ description: "The recipients of one request on your node, in member order (Relay connection), with its exact figures." })
export class OutreachRecipientConnection {
  @Field(() => OutreachExactFigures) figures!: OutreachExactFigures;
  @Field(() => [OutreachRecipientEdge]) edges!: OutreachRecipientEdge[];
  @Field(() => MemberPageInfo) pageInfo!: MemberPageInfo;
}

import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

export enum OutreachDecision {
  APPROVE = "APPROVE",
  DECLINE = "DECLINE",
}
registerEnumType(OutreachDecision, { name: "OutreachDecision", description: "An owner's decision on a request addressed to it." });

// A GraphQL enum is a TS enum by necessity (STYLE.md); the same values as the coordinator's.
export enum TargetStatusValue {
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  DECLINED = "DECLINED",
  EXPIRED = "EXPIRED",
  CANCELLED = "CANCELLED",
  SENDING = "SENDING",
  SENT = "SENT",
  FAILED = "FAILED",
}
registerEnumType(TargetStatusValue, { name: "TargetStatus", description: "Where one target brand stands with a request." });

export enum DecidedByValue {
  APPROVER = "APPROVER",
  RULE = "RULE",
  MINIMUM_AUDIENCE = "MINIMUM_AUDIENCE",
  EXPIRY = "EXPIRY",
}
registerEnumType(DecidedByValue, { name: "DecidedBy", description: "Who decided a target: the owner's approver, its sharing rules, its minimum audience, or the expiry." });

@ObjectType({ description: "Where a request stands at your brand after your decision." })
export class OutreachDecisionResult {
  @Field(() => ID) brandId!: string;
  @Field(() => TargetStatusValue) status!: `${TargetStatusValue}`;
  @Field(() => String, { nullable: true, description: "Your decline reason, kept at your node; the requester never sees it." })
  reason!: string | null;
}


import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { OutreachRequestStatus } from "./outreach-request-status.js";

export enum TargetStatus {
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  DECLINED = "DECLINED",
  EXPIRED = "EXPIRED",
  CANCELLED = "CANCELLED",
  SENDING = "SENDING",
  SENT = "SENT",
  FAILED = "FAILED",
}
registerEnumType(TargetStatus, { name: "TargetStatus", description: "Where one target brand stands with a request." });

export enum OutreachDirection {
  INCOMING = "INCOMING",
  OUTGOING = "OUTGOING",
}
registerEnumType(OutreachDirection, { name: "OutreachDirection", description: "Requests to your brand, or from it." });

export enum RequestChannel {
  SMS = "SMS",
  EMAIL = "EMAIL",
  MAIL = "MAIL",
}
registerEnumType(RequestChannel, { name: "OutreachChannel", description: "A channel the owner sends through." });

// Keyed by request and brand: the gateway resolves `status` (and the owner's `reason`) at the
// node the key names, the owner being the source of truth; this copy, kept by the nodes' pushed
// `outreach.status` events, is what the lists filter on.
@Directive('@key(fields: "requestId brandId")')
@ObjectType({ description: "One target brand of a request. Times are rounded down to the hour." })
export class OutreachTarget {
  @Field(() => ID) requestId!: string;
  @Field(() => ID) brandId!: string;
  @Field(() => TargetStatus) status!: `${TargetStatus}`;
  @Field(() => String, { description: "When the status last changed (ISO 8601, rounded down to the hour)." }) statusAt!: string;
}

@ObjectType({ description: "A request to reach partners' members. Never changes once created; its targets' statuses do." })
export class OutreachRequest {
  @Field(() => ID) id!: string;
  @Field(() => OutreachRequestStatus, { description: "Summed up from the targets you may see (a target brand: its own)." })
  status!: OutreachRequestStatus;
  @Field(() => ID) requesterBrandId!: string;
  @Field(() => String, { description: "The tag expression as written." }) expression!: string;
  @Field(() => RequestChannel) channel!: `${RequestChannel}`;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => String, { description: "Plain text with {{coupon}} and {{firstName}}, filled in by each owner's node." }) message!: string;
  @Field(() => String) purpose!: string;
  @Field(() => Int) maxRecipientsPerBrand!: number;
  @Field(() => String, { description: "ISO 8601." }) sendAfter!: string;
  @Field(() => String, { description: "ISO 8601." }) expiresAt!: string;
  @Field(() => String, { description: "sha256 of the request's content (RFC 8785): what an owner's decision covers." })
  contentHash!: string;
  @Field(() => String, { description: "ISO 8601, rounded down to the hour." }) createdAt!: string;
  @Field(() => [OutreachTarget], { description: "The requester sees every target; a target brand sees its own." })
  targets!: OutreachTarget[];
}

@ObjectType()
export class OutreachRequestEdge {
  @Field(() => String) cursor!: string;
  @Field(() => OutreachRequest) node!: OutreachRequest;
}

@ObjectType()
export class OutreachPageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: "A page of requests, newest first (Relay connection)." })
export class OutreachRequestConnection {
  @Field(() => [OutreachRequestEdge]) edges!: OutreachRequestEdge[];
  @Field(() => OutreachPageInfo) pageInfo!: OutreachPageInfo;
}

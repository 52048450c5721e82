import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

@ObjectType({ description: "Your brand's sharing rules (Cedar, the sharing rules' schema), as your node keeps them." })
export class SharingRules {
  @Field(() => String, { description: "The Cedar policy text in force; the empty text when there are no rules." }) policies!: string;
  @Field(() => String, { nullable: true, description: "When this text was validated and saved (ISO 8601); null when none was ever saved." })
  validatedAt!: string | null;
  @Field(() => String, { description: "SHA-256 (hex) of `policies`, as the audit event names it." }) hash!: string;
}

// A GraphQL enum is a TS enum by necessity (STYLE.md).
export enum SharingDecisionValue {
  APPROVE = "APPROVE",
  DECLINE = "DECLINE",
  PENDING = "PENDING",
}
registerEnumType(SharingDecisionValue, { name: "SharingDecision", description: "What sharing rules decide of a request: approve, decline, or leave it to the approver." });

@ObjectType({ description: "What the rules would decide of one request received (a dry run: nothing changes)." })
export class SharingDecisionPreview {
  @Field(() => ID) requestId!: string;
  @Field(() => SharingDecisionValue) decision!: `${SharingDecisionValue}`;
  @Field(() => [String], { description: "The @id of each determining policy." }) reasons!: string[];
}

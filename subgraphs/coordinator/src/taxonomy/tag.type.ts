import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";

export enum TagCardinality {
  ONE = "ONE",
  MANY = "MANY",
}
registerEnumType(TagCardinality, {
  name: "TagCardinality",
  description: "How many values of a dimension one member may hold: ONE (age, region...) or MANY (interest).",
});

@ObjectType({ description: "A tag of the shared taxonomy." })
export class Tag {
  @Field(() => String, { description: "dimension:value" }) key!: string;
  @Field(() => String) dimension!: string;
  @Field(() => String) value!: string;
  @Field(() => String, { description: "简体中文" }) labelZh!: string;
  @Field(() => String) labelEn!: string;
  @Field(() => Boolean, { description: "Sensitive tags (health, pregnancy, minors) are never asked about across brands." })
  sensitive!: boolean;
  @Field(() => TagCardinality, { description: "The cardinality of the tag's dimension: a member holds at most one value of a ONE dimension." })
  cardinality!: `${TagCardinality}`;
}

@InputType()
export class TagInput {
  @Field(() => String) dimension!: string;
  @Field(() => String) value!: string;
  @Field(() => String) labelZh!: string;
  @Field(() => String) labelEn!: string;
  @Field(() => Boolean, { nullable: true, description: "Can be turned on, never off." }) sensitive?: boolean | null;
  @Field(() => TagCardinality, {
    nullable: true,
    description: "The dimension's cardinality, set when its first tag is added (default MANY) and fixed after that.",
  })
  cardinality?: TagCardinality | null;
}

import { Field, InputType, ObjectType } from "type-graphql";

@ObjectType({ description: "A tag of the shared taxonomy." })
export class Tag {
  @Field(() => String, { description: "dimension:value" }) key!: string;
  @Field(() => String) dimension!: string;
  @Field(() => String) value!: string;
  @Field(() => String, { description: "简体中文" }) labelZh!: string;
  @Field(() => String) labelEn!: string;
  @Field(() => Boolean, { description: "Sensitive tags (health, pregnancy, minors) are never asked about across brands." })
  sensitive!: boolean;
}

@InputType()
export class TagInput {
  @Field(() => String) dimension!: string;
  @Field(() => String) value!: string;
  @Field(() => String) labelZh!: string;
  @Field(() => String) labelEn!: string;
  @Field(() => Boolean, { nullable: true, description: "Can be turned on, never off." }) sensitive?: boolean | null;
}

import { Authorized, Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";

@ObjectType({ description: "Who the gateway says the caller is." })
export class Viewer {
  @Field(() => String, { description: "user, node or gateway" }) kind!: string;
  @Field(() => String) subject!: string;
  @Field(() => String, { nullable: true, description: "Null for platform principals." }) brandId!: string | null;
  @Field(() => String, { nullable: true }) role!: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Authorized("ReadViewer")
  @Query(() => Viewer)
  viewer(@Ctx() { caller }: CoordinatorContext): Viewer {
    switch (caller.kind) {
      case "user":
        return { kind: "user", subject: caller.subject, brandId: caller.brand, role: caller.role };
      case "node":
        return { kind: "node", subject: caller.subject, brandId: caller.brand, role: null };
      case "gateway":
      case "coordinator":
        return { kind: caller.kind, subject: caller.subject, brandId: null, role: null };
    }
  }
}

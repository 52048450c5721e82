import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum ImportKind {
  MEMBERS = "MEMBERS",
}
registerEnumType(ImportKind, { name: "ImportKind", description: "What an import session loads." });

@ObjectType({ description: "An import session: append rows in chunks, then commit them all at once." })
export class ImportSession {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: "A row refused by appendImportRows: its number in the whole file and why (field: reason)." })
export class RejectedImportRow {
  @Field(() => Int, { description: "1-based, counted across every chunk of the session." }) row!: number;
  @Field(() => String) reason!: string;
}

@ObjectType()
export class AppendImportRowsResult {
  @Field(() => Int, { description: "Rows of this chunk staged for the commit." }) accepted!: number;
  @Field(() => [RejectedImportRow]) rejected!: RejectedImportRow[];
}

@ObjectType()
export class CommitImportResult {
  @Field(() => Int) inserted!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int, { description: "Rows rejected during the session (not imported)." }) rejected!: number;
}

import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { RequestContext } from "../auth/request-context.js";
import { principalKey } from "../rate-limit/per-principal-limiter.js";
import { AppendImportRowsResult, CommitImportResult, ImportKind, ImportSession } from "./import-session.type.js";
import type { ImportCaller, ImportSessionService } from "./import-session.service.js";
import { MemberInput } from "./member.input.js";

/** Import sessions of the caller's own brand: the same Cedar action as importMembers (ImportMembers). */
@Resolver()
export class ImportSessionsResolver {
  constructor(private readonly sessions: ImportSessionService) {}

  private async caller(context: RequestContext): Promise<ImportCaller> {
    const principal = await context.principal();
    if (principal.kind !== "user") throw new AppError("FORBIDDEN");
    return { owner: principalKey(principal), actor: principalActor(principal) };
  }

  @Authorized("ImportMembers")
  @Mutation(() => ImportSession, { description: "Begins an import session of the caller's own (expires after an hour)." })
  async beginImport(@Arg("kind", () => ImportKind) kind: ImportKind, @Ctx() context: RequestContext): Promise<ImportSession> {
    return this.sessions.begin(await this.caller(context), kind);
  }

  @Authorized("ImportMembers")
  @Mutation(() => AppendImportRowsResult, {
    description:
      "Checks a chunk of rows (at most 5,000, and within the gateway's body limit) as importMembers does and stages the good ones; bad rows are named by their row number in the whole session. NOT_FOUND for a session not the caller's; CONFLICT once committed or expired.",
  })
  async appendImportRows(
    @Arg("importId", () => ID) importId: string,
    @Arg("rows", () => [MemberInput]) rows: MemberInput[],
    @Ctx() context: RequestContext,
  ): Promise<AppendImportRowsResult> {
    return this.sessions.append(await this.caller(context), importId, rows);
  }

  @Authorized("ImportMembers")
  @Mutation(() => CommitImportResult, {
    description:
      "Writes every staged row in one transaction, or none (a known externalId updates that member). With rejected rows it refuses (BAD_INPUT, the session stays open) unless allowRejected. Once only. Audited with counts.",
  })
  async commitImport(
    @Arg("importId", () => ID) importId: string,
    @Arg("allowRejected", () => Boolean, { nullable: true, description: "Import the accepted rows although some were rejected. Default false." })
    allowRejected: boolean | null,
    @Ctx() context: RequestContext,
  ): Promise<CommitImportResult> {
    return this.sessions.commit(await this.caller(context), importId, allowRejected === true);
  }
}

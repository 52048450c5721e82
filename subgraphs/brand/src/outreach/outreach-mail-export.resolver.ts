import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { RequestContext } from "../auth/request-context.js";
import type { OutreachMailExportService } from "./outreach-mail-export.service.js";
import { MailExport } from "./outreach-mail-export.type.js";

@Resolver()
export class OutreachMailExportResolver {
  constructor(private readonly service: OutreachMailExportService) {}

  @Authorized("ExportOutreachMail")
  @Query(() => MailExport, {
    description:
      "The mail export of a MAIL request your brand received, as CSV: your own node, your brand's analysts and admins only; audited. NOT_FOUND for an unknown request, BAD_INPUT for one on another channel, 0 rows before the first batch, LIMIT_EXCEEDED above MAIL_EXPORT_MAX_BYTES (8 MiB).",
  })
  async outreachMailExport(@Arg("requestId", () => ID) requestId: string, @Ctx() context: RequestContext): Promise<MailExport> {
    const principal = await context.principal();
    // Cedar already refused anyone else; a user is what the log's actor must name.
    if (principal.kind !== "user") throw new AppError("FORBIDDEN");
    return this.service.download(requestId, principalActor(principal));
  }
}

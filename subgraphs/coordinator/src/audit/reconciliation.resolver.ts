import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import { OutreachReconciliation } from "./reconciliation.type.js";
import type { ReconciliationReference, ReconciliationService } from "./reconciliation.service.js";

@Resolver(() => OutreachReconciliation)
export class ReconciliationResolver {
  /** One comparison per entity the gateway sent, however many of its fields are asked. */
  private readonly results = new WeakMap<object, Promise<{ ok: boolean; mismatches: string[] }>>();

  constructor(private readonly reconciliations: ReconciliationService) {}

  @Authorized("ReadAuditEvents")
  @Query(() => OutreachReconciliation, {
    nullable: true,
    description:
      "Checks one outreach request's statuses and released figures between the platform log and each target's own log, against the owners' commitments. Auditors entitled to both logs: the platform auditor, or a target's auditor for its own part.",
  })
  async reconcileOutreachRequest(@Arg("requestId", () => ID) requestId: string, @Ctx() context: CoordinatorContext): Promise<Omit<OutreachReconciliation, "ok" | "mismatches">> {
    return this.reconciliations.start(await context.principal(), requestId);
  }

  @Authorized("ReadAuditEvents")
  @FieldResolver(() => Boolean)
  async ok(@Root() root: ReconciliationReference, @Ctx() context: CoordinatorContext): Promise<boolean> {
    return (await this.resultOf(root, context)).ok;
  }

  @Authorized("ReadAuditEvents")
  @FieldResolver(() => [String])
  async mismatches(@Root() root: ReconciliationReference, @Ctx() context: CoordinatorContext): Promise<string[]> {
    return (await this.resultOf(root, context)).mismatches;
  }

  private resultOf(root: ReconciliationReference, context: CoordinatorContext) {
    let result = this.results.get(root);
    if (!result) {
      result = context.principal().then((principal) => this.reconciliations.reconcile(principal, root));
      this.results.set(root, result);
    }
    return result;
  }
}

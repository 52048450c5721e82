import type pg from "pg";
import { desc } from "drizzle-orm";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import { decideRequest, parseSharingRules } from "@brandpool/policy";
import type { RequestDecision, SharingRuleSet } from "@brandpool/policy";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { Database } from "../db/database.js";
import { incomingRequests } from "../db/incoming-request.table.js";
import { withTransaction } from "../db/transaction.js";
import { rulesLinkAllowList } from "../outreach/link-allow-list.js";
import type { LinkAllowList } from "../outreach/link-allow-list.js";
import { requestFacts } from "./request-facts.js";
import { SharingRulesRepository } from "./sharing-rules.repository.js";

/** The default minimum outreach audience, and the lowest an owner may set (DESIGN.md). */
export const DEFAULT_MINIMUM_AUDIENCE = 1_000;
export const LOWEST_MINIMUM_AUDIENCE = 100;
/** The most requests a dry run replays, and its default. */
export const MAX_PREVIEW = 50;

export interface SharingRulesView {
  policies: string;
  /** When this version was validated and saved; null for "no rules yet". */
  validatedAt: Date | null;
  hash: string;
  version: number;
}

export interface PreviewDecision {
  requestId: string;
  decision: RequestDecision;
  reasons: string[];
}

const EMPTY = parseSharingRules("");

/**
 * The owner's sharing rules at its own node: the version in force, read from the database for
 * each decision (one indexed max()) and parsed once per version, so every process of the node
 * follows a change at its next decision without a restart. Changes are validated against the
 * Cedar schema first (INVALID_POLICY changes nothing) and audited with the text's hash.
 */
export class SharingRulesService {
  private cached: { version: number; set: SharingRuleSet } = { version: 0, set: EMPTY };
  /** The owner's link domains: the rules' `LinkTo`, then OUTREACH_LINK_DOMAINS for what they leave unsaid. */
  readonly links: LinkAllowList;

  constructor(
    private readonly settings: { brandId: string; timeZone: string; defaultMinimum: number; fallbackLinkDomains: readonly string[] },
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: Pick<NodeAudit, "record" | "pushSoon">,
  ) {
    this.links = rulesLinkAllowList(settings.fallbackLinkDomains, () => this.inForce());
  }

  /** The rule set in force, as of now (`db`: read inside the caller's transaction). */
  async inForce(db: Database = this.db): Promise<SharingRuleSet> {
    const repository = new SharingRulesRepository(db);
    const version = await repository.currentVersion();
    if (version !== this.cached.version) {
      const row = version === 0 ? undefined : await repository.find(version);
      // A saved text validated when saved; parsing again guards against a schema that changed since.
      this.cached = { version, set: row ? parseSharingRules(row.policies) : EMPTY };
    }
    return this.cached.set;
  }

  async view(): Promise<SharingRulesView> {
    const row = await new SharingRulesRepository(this.db).current();
    if (!row) return { policies: "", validatedAt: null, hash: EMPTY.hash, version: 0 };
    return { policies: row.policies, validatedAt: row.validatedAt, hash: row.hash, version: row.version };
  }

  /** Replaces the rules with `policies` (validated first); audited with the old and new hashes. */
  async update(actor: JsonObject, savedBy: string, policies: string): Promise<SharingRulesView> {
    const set = parseSharingRules(policies);
    const saved = await withTransaction(this.pool, async (tx) => {
      const repository = new SharingRulesRepository(tx.db);
      await repository.lockForChange();
      const previous = await repository.current();
      const row = await repository.append(set.text, set.hash, savedBy);
      await this.audit.record(tx, {
        type: "sharing_rules.updated",
        actor,
        subject: { kind: "brand", brand: this.settings.brandId },
        payload: { version: row.version, hash: row.hash, previousHash: previous?.hash ?? EMPTY.hash, policyIds: Object.keys(set.policies).sort() },
      });
      return row;
    });
    return { policies: saved.policies, validatedAt: saved.validatedAt, hash: saved.hash, version: saved.version };
  }

  /**
   * A dry run: what `policies` (or, when null, the saved rules) would decide for the last `last`
   * requests received, newest first. Only the rules and the link check run: the minimum audience
   * is not asked (that would charge the requester), no budget is reserved and nothing is written.
   */
  async preview(policies: string | null, last: number | null): Promise<PreviewDecision[]> {
    const count = last ?? MAX_PREVIEW;
    if (!Number.isInteger(count) || count < 1 || count > MAX_PREVIEW) {
      throw new AppError("BAD_INPUT", `last must be between 1 and ${MAX_PREVIEW}.`, { fields: [{ field: "last", reason: `must be between 1 and ${MAX_PREVIEW}` }] });
    }
    const set = policies === null ? await this.inForce() : parseSharingRules(policies);
    const rows = await this.db.select().from(incomingRequests).orderBy(desc(incomingRequests.receivedAt), desc(incomingRequests.requestId)).limit(count);
    const decisions: PreviewDecision[] = [];
    for (const row of rows) decisions.push(await this.conclude(set, row, row.receivedAt));
    return decisions;
  }

  /**
   * What a rule set decides of one request, as the pickup applies it: a decline stands; an
   * approval whose links the owner's list refuses is left to the approver (as `decide` would
   * refuse it), so a dry run and the real pickup agree.
   */
  async conclude(set: SharingRuleSet, request: typeof incomingRequests.$inferSelect, at: Date = new Date()): Promise<PreviewDecision> {
    const { decision, reasons } = decideRequest(set, requestFacts(request, this.settings.timeZone, at));
    if (decision === "APPROVE") {
      const refused = await this.links.refusedDomains({ message: request.message, subject: request.subject }, { requester: request.requesterBrand, channel: request.channel, rules: set });
      if (refused.length > 0) return { requestId: request.requestId, decision: "PENDING", reasons: [...reasons, "link-domain-not-allowed"] };
    }
    return { requestId: request.requestId, decision, reasons };
  }

  minimum(db: Database = this.db): Promise<number> {
    return new SharingRulesRepository(db).minimum(this.settings.defaultMinimum);
  }

  /** Sets the minimum outreach audience: at least 100 (BAD_INPUT below, nothing changes); audited. */
  async setMinimum(actor: JsonObject, minimum: number): Promise<number> {
    if (!Number.isInteger(minimum) || minimum < LOWEST_MINIMUM_AUDIENCE || minimum > 100_000_000) {
      throw new AppError("BAD_INPUT", `The minimum outreach audience must be a whole number of at least ${LOWEST_MINIMUM_AUDIENCE}.`, {
        fields: [{ field: "minimum", reason: `must be at least ${LOWEST_MINIMUM_AUDIENCE}` }],
      });
    }
    await withTransaction(this.pool, async (tx) => {
      const repository = new SharingRulesRepository(tx.db);
      const previous = await repository.minimum(this.settings.defaultMinimum);
      await repository.setMinimum(minimum);
      await this.audit.record(tx, {
        type: "outreach_minimum.updated",
        actor,
        subject: { kind: "brand", brand: this.settings.brandId },
        payload: { minimum, previous },
      });
    });
    return minimum;
  }
}

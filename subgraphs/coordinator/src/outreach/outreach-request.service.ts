import type pg from "pg";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import { contentHash, validateOutreachMessage } from "@brandpool/outreach-message";
import { parseTagExpression, tagKeysOf } from "@brandpool/tag-expression";
import type { Database } from "../db/database.js";
import { taxonomyTags } from "../db/taxonomy-tag.table.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import { BrandRepository } from "../registry/brand.repository.js";
import { issuesOf } from "../registry/brand.schema.js";
import { decodeOutreachCursor, encodeOutreachCursor } from "./outreach-cursor.js";
import { cancelOutreachRequest } from "./cancel-outreach-request.js";
import { requestStatusOf } from "./outreach-request-status.js";
import { OutreachRequestRepository } from "./outreach-request.repository.js";
import type { OutreachRequestRecord, OutreachTargetRecord } from "./outreach-request.repository.js";
import {
  CreateOutreachRequestSchema,
  DEFAULT_MAX_RECIPIENTS,
  MAX_LIFETIME_DAYS,
  REQUESTS_PER_PAIR_PER_DAY,
} from "./outreach-request.schema.js";
import type { OutreachRequest, OutreachRequestConnection } from "./outreach-request.type.js";

const MAX_PAGE = 100;
const HOUR_MS = 3_600_000;

/** The caller's brand: requests are a brand's business, whoever of its people asks. */
function brandOf(principal: Principal): string {
  if (principal.kind !== "user" || !principal.brand) throw new AppError("FORBIDDEN");
  return principal.brand.id;
}

/** Times a partner sees are rounded down to the hour: exact times would time an owner's decisions. */
function hourOf(date: Date): string {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS).toISOString();
}

/**
 * Outreach requests at the coordinator: created by a requester's analyst or admin, validated
 * whole (targets, expression, message, times) before anything is written, never changed after.
 */
export class OutreachRequestService {
  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  async create(principal: Principal, input: unknown): Promise<OutreachRequest> {
    const requester = brandOf(principal);
    const parsed = CreateOutreachRequestSchema.safeParse(input);
    if (!parsed.success) throw new AppError("BAD_INPUT", "The outreach request is not valid.", { fields: issuesOf(parsed.error) });
    const value = parsed.data;
    const now = Date.now();
    const sendAfter = value.sendAfter ?? new Date(now);
    if (value.expiresAt.getTime() <= now) throw badField("expiresAt", "is in the past");
    if (value.expiresAt.getTime() > now + MAX_LIFETIME_DAYS * 24 * HOUR_MS) throw badField("expiresAt", `is more than ${MAX_LIFETIME_DAYS} days ahead`);
    if (sendAfter.getTime() >= value.expiresAt.getTime()) throw badField("sendAfter", "is not before expiresAt");
    await this.checkTargets(requester, value.targetBrandIds);
    await this.checkExpression(value.expression);
    validateOutreachMessage({ channel: value.channel, subject: value.subject ?? null, message: value.message });
    const cap = value.maxRecipientsPerBrand ?? DEFAULT_MAX_RECIPIENTS;
    const hash = contentHash({
      channel: value.channel,
      subject: value.subject ?? null,
      message: value.message,
      expression: value.expression,
      purpose: value.purpose,
      cap,
      sendWindow: { start: sendAfter, end: value.expiresAt },
      expiresAt: value.expiresAt,
      targets: value.targetBrandIds,
    });
    return withTransaction(this.pool, async (tx) => {
      const repository = new OutreachRequestRepository(tx.db);
      // Serialises one requester's new requests, so the daily limit per owner holds under concurrency.
      await tx.client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`outreach-requests ${requester}`]);
      const recent = await repository.recentPerOwner(requester, value.targetBrandIds);
      const over = value.targetBrandIds.filter((owner) => (recent.get(owner) ?? 0) >= REQUESTS_PER_PAIR_PER_DAY);
      if (over.length > 0) {
        throw new AppError("RATE_LIMITED", `At most ${REQUESTS_PER_PAIR_PER_DAY} new requests a day to one brand.`, { retryAfterMs: HOUR_MS, brandIds: over });
      }
      const { request, targets } = await repository.insert(
        {
          requesterBrand: requester,
          createdBy: principal.kind === "user" ? principal.subject : requester,
          expression: value.expression,
          channel: value.channel,
          subject: value.subject ?? null,
          message: value.message,
          purpose: value.purpose,
          maxRecipientsPerBrand: cap,
          sendAfter,
          expiresAt: value.expiresAt,
          contentHash: hash,
        },
        value.targetBrandIds,
      );
      await this.audit.record(tx, [
        {
          type: "outreach.requested",
          actor: principalActor(principal),
          subject: { kind: "outreach-request", id: request.id },
          payload: { requester, targets: [...value.targetBrandIds].sort(), channel: value.channel, contentHash: hash, cap },
        },
      ]);
      return this.toRequest(request, targets, requester);
    });
  }

  cancel(principal: Principal, requestId: string): Promise<string[]> {
    return cancelOutreachRequest(this.pool, this.audit, principal, requestId);
  }

  async get(principal: Principal, id: string): Promise<OutreachRequest> {
    const brand = brandOf(principal);
    const repository = new OutreachRequestRepository(this.db);
    const request = /^[0-9a-f-]{36}$/.test(id) ? await repository.find(id) : undefined;
    const targets = request ? await repository.targetsOf([request.id]) : [];
    // Neither requester nor target: it does not exist, as far as this brand can tell.
    if (!request || (request.requesterBrand !== brand && !targets.some((target) => target.brandId === brand))) {
      throw new AppError("NOT_FOUND", "No such outreach request.");
    }
    return this.toRequest(request, targets, brand);
  }

  async list(
    principal: Principal,
    args: { direction: "INCOMING" | "OUTGOING"; statuses: readonly string[] | null; first: number | null; after: string | null },
  ): Promise<OutreachRequestConnection> {
    const brand = brandOf(principal);
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1) throw badField("first", "must be at least 1");
    if (first > MAX_PAGE) throw new AppError("LIMIT_EXCEEDED", `first must be at most ${MAX_PAGE}.`, { field: "first", limit: MAX_PAGE });
    const after = args.after ? decodeOutreachCursor(args.after) : null;
    const repository = new OutreachRequestRepository(this.db);
    const rows = await repository.page({ brand, direction: args.direction, statuses: args.statuses, after, limit: first + 1 });
    const page = rows.slice(0, first);
    const targets = await repository.targetsOf(page.map((row) => row.id));
    const edges = page.map((row) => ({
      cursor: encodeOutreachCursor({ createdAt: row.position, id: row.id }),
      node: this.toRequest(row, targets.filter((target) => target.requestId === row.id), brand),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /** Targets must be registered, admitted and not the requester itself; unknown and unadmitted look alike. */
  private async checkTargets(requester: string, targetIds: readonly string[]): Promise<void> {
    if (targetIds.includes(requester)) throw badField("targetBrandIds", "names your own brand");
    const brands = await new BrandRepository(this.db).all();
    const admitted = new Set(brands.filter((brand) => brand.admitted).map((brand) => brand.id));
    const unknown = targetIds.filter((id) => !admitted.has(id));
    if (unknown.length > 0) {
      throw new AppError("BAD_INPUT", "Some target brands are not in the pool.", { fields: [{ field: "targetBrandIds", reason: "not an admitted brand of the pool" }], brandIds: unknown });
    }
  }

  /** The expression parses, names only taxonomy tags, and none of them sensitive. */
  private async checkExpression(text: string): Promise<void> {
    const keys = tagKeysOf(parseTagExpression(text));
    const known = await this.db.select({ key: taxonomyTags.key, sensitive: taxonomyTags.sensitive }).from(taxonomyTags);
    const byKey = new Map(known.map((tag) => [tag.key, tag.sensitive]));
    const unknown = keys.filter((key) => !byKey.has(key));
    if (unknown.length > 0) throw new AppError("UNKNOWN_TAG", `Not in the taxonomy: ${unknown.join(", ")}.`, { tags: unknown });
    const sensitive = keys.filter((key) => byKey.get(key) === true);
    if (sensitive.length > 0) throw new AppError("SENSITIVE_TAG", `Sensitive tags cannot be used in outreach: ${sensitive.join(", ")}.`, { tags: sensitive });
  }

  private toRequest(request: OutreachRequestRecord, targets: readonly OutreachTargetRecord[], viewer: string): OutreachRequest {
    const visible = (request.requesterBrand === viewer ? [...targets] : targets.filter((target) => target.brandId === viewer)).sort((a, b) =>
      a.brandId < b.brandId ? -1 : a.brandId > b.brandId ? 1 : 0,
    );
    return {
      id: request.id,
      status: requestStatusOf(visible.map((target) => target.status)),
      ...requestContentOf(request),
      createdAt: hourOf(request.createdAt),
      targets: visible.map((target) => ({ requestId: request.id, brandId: target.brandId, status: target.status, statusAt: hourOf(target.statusAt) })),
    };
  }
}

/** A stored request's content as the API states it: what both the requester's view and a node's delivery carry. */
export function requestContentOf(request: OutreachRequestRecord) {
  return {
    requesterBrandId: request.requesterBrand,
    expression: request.expression,
    channel: request.channel,
    subject: request.subject,
    message: request.message,
    purpose: request.purpose,
    maxRecipientsPerBrand: request.maxRecipientsPerBrand,
    sendAfter: request.sendAfter.toISOString(),
    expiresAt: request.expiresAt.toISOString(),
    contentHash: request.contentHash,
  };
}

function badField(field: string, reason: string): AppError {
  return new AppError("BAD_INPUT", `${field} ${reason}.`, { fields: [{ field, reason }] });
}

import type pg from "pg";
import { appendAuditEvents, checkAuditHeads, lockAuditTailSql, exportAuditLogPage, listAuditEvents, verifyAuditTable } from "@brandpool/audit-chain";
import type { AppendOptions, AuditChainVerification, AuditEventPage, JsonObject, RecordedAuditHead } from "@brandpool/audit-chain";
import { principalActor } from "@brandpool/policy";
import type { Action, Principal, Resource } from "@brandpool/policy";
import { randomUUID } from "node:crypto";
import { withTransaction } from "../db/transaction.js";
import type { Transaction } from "../db/transaction.js";
import { principalKey } from "../rate-limit/per-principal-limiter.js";
import type { PerPrincipalLimiter } from "../rate-limit/per-principal-limiter.js";

/** The table of db/outbox.table.ts. */
const OUTBOX_TABLE = "coordinator_outbox";

/** This node's own audit log (append-only, hash-chained; see migrations/brand). */
export const AUDIT_TABLE = "audit_events";

export function subjectOf(resource: Resource): JsonObject {
  return resource.kind === "brand" ? { kind: "brand", brand: resource.id } : { kind: "platform" };
}

export interface CoordinatorEvent {
  type: string;
  payload: JsonObject;
}

export class NodeAudit {
  /** Operations that already left a denial in this log: one event per operation, however many fields. */
  private readonly denied = new WeakSet<object>();
  /** Denials dropped per principal since its last recorded one: the next event says how many. */
  private readonly dropped = new Map<string, number>();

  constructor(
    private readonly brandId: string,
    private readonly pool: pg.Pool,
    private readonly notifyOutbox: () => void,
    /** Bounds the denials recorded per principal, so denied calls cannot flood the append-only log. */
    private readonly denialLimiter: PerPrincipalLimiter,
  ) {}

  /**
   * Appends to this node's log and, in the same transaction, queues what the coordinator's log
   * must hold of it (never personal data): both commit together or neither does.
   */
  async record(
    tx: Transaction,
    event: { type: string; actor: JsonObject; subject: JsonObject; payload: JsonObject },
    forCoordinator?: CoordinatorEvent,
    /** `lockedTail` from `lockedTailSql` in this transaction's BEGIN; `commit` to end the transaction with the append. */
    append: Pick<AppendOptions, "lockedTail" | "commit"> = {},
  ): Promise<void> {
    if (!forCoordinator) {
      await appendAuditEvents(tx.client, AUDIT_TABLE, [event], append);
      return;
    }
    // The push goes out under this node event's own id: the coordinator records each id once
    // and names it as `nodeEventId`, so the platform's copy points at the owner's event. The
    // outbox row rides in the same statement as the event (one round trip fewer, and both or
    // neither in any case).
    const id = randomUUID();
    await appendAuditEvents(tx.client, AUDIT_TABLE, [{ ...event, id }], {
      ...append,
      companion: {
        text: `INSERT INTO ${OUTBOX_TABLE} (id, type, payload) VALUES ($1::uuid, $2, $3::jsonb)`,
        values: [id, forCoordinator.type, JSON.stringify({ ...forCoordinator.payload, nodeEventId: id })],
      },
    });
  }

  /**
   * This log's lock and tail read, as statements without parameters for a transaction's BEGIN
   * (the log's lock is then held for the whole transaction): `auditTailOf` reads the last result.
   */
  static lockedTailSql(): string {
    return lockAuditTailSql(AUDIT_TABLE);
  }

  /** Pushes what was just queued for the coordinator, after the transaction committed. */
  pushSoon(): void {
    this.notifyOutbox();
  }

  /** A denial of this node's own Cedar check: once per operation, within the principal's rate. */
  async recordDenial(action: Action, principal: Principal, resource: Resource, operation: object): Promise<void> {
    if (this.denied.has(operation)) return;
    this.denied.add(operation);
    const key = principalKey(principal);
    if (!(await this.admitDenial(key))) return;
    const payload: JsonObject = { action, decision: "deny", ...this.droppedSince(key) };
    await withTransaction(this.pool, (tx) =>
      this.record(
        tx,
        { type: "policy.denied", actor: principalActor(principal), subject: subjectOf(resource), payload },
        { type: "policy.denied", payload: { ...payload, actor: principalActor(principal), subject: subjectOf(resource) } },
      ),
    );
    this.notifyOutbox();
  }

  /**
   * A denial the gateway's Cedar check made about this brand: into this node's log only (the
   * gateway reported it to the coordinator itself), within the principal's rate. False when dropped.
   */
  async recordGatewayDenial(action: string, actor: JsonObject): Promise<boolean> {
    const key = `${String(actor.kind)}:${String(actor.brand ?? "-")}:${String(actor.subject ?? "-")}`;
    if (!(await this.admitDenial(key))) return false;
    const dropped = this.droppedSince(key);
    await withTransaction(this.pool, (tx) =>
      this.record(tx, {
        type: "policy.denied",
        actor,
        subject: { kind: "brand", brand: this.brandId },
        payload: { action, decision: "deny", decidedBy: "gateway", ...dropped },
      }),
    );
    return true;
  }

  /** Within the principal's rate; a dropped denial is counted, so the log still says it happened. */
  private async admitDenial(key: string): Promise<boolean> {
    if (await this.denialLimiter.allow(key)) return true;
    // Bounded: a flood of fresh subjects cannot grow the map without limit.
    if (this.dropped.size >= 10_000 && !this.dropped.has(key)) this.dropped.clear();
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
    return false;
  }

  private droppedSince(key: string): { droppedBefore?: number } {
    const count = this.dropped.get(key);
    this.dropped.delete(key);
    return count ? { droppedBefore: count } : {};
  }

  /**
   * Checks this node's chain link by link and then against `heads`, the heads of it that the
   * coordinator recorded: a chain that a superuser rehashed or cut still links up, but no longer
   * holds the head recorded before. Without heads (the coordinator unreachable) `headsChecked` is null.
   */
  async verify(heads: readonly RecordedAuditHead[] | null = null): Promise<AuditChainVerification> {
    const chain = await verifyAuditTable(this.pool, AUDIT_TABLE);
    if (!chain.ok || heads === null) return { ...chain, headsChecked: null };
    const check = await checkAuditHeads(this.pool, AUDIT_TABLE, heads);
    return { ...chain, ok: check.firstBrokenEventId === null, firstBrokenEventId: check.firstBrokenEventId, headsChecked: check.headsChecked };
  }

  /** This node's log, oldest first; everyone allowed to read it sees all of it. */
  list(args: { first: number | null; after: string | null; action: string | null; brandId: string | null }): Promise<AuditEventPage> {
    return listAuditEvents(this.pool, AUDIT_TABLE, { ...args, visibleTo: null });
  }

  async exportPage(after: number, first: number): Promise<{ lines: string[]; lastSequence: number | null }> {
    const page = await exportAuditLogPage(this.pool, AUDIT_TABLE, after, first);
    return { lines: page.lines, lastSequence: page.lastSeq };
  }
}

/**
 * The convention `reconcileOutreachRequest` checks (ARCHITECTURE.md, "Reconciling an outreach
 * request"): a target node pushes `outreach.status` { requestId, status } and
 * `outreach.results` { requestId, releaseNumber, released, commitment } under the id of its own
 * event; the platform log records them as `node.<type>` with `nodeEventId`.
 */
export const STATUS_EVENT = "node.outreach.status";
export const RELEASE_EVENT = "node.outreach.results";
const OWNER_RELEASE_EVENT = "outreach.results";

export interface PlatformOutreachEvent {
  type: string;
  /** The brand whose node pushed it. */
  brandId: string;
  payload: Record<string, unknown>;
}

/** One target node's evidence, as its `ownerEvents` JSON carries it (null: it could not be read). */
export interface OwnerEvidence {
  brandId: string;
  requestId: string;
  events: {
    id: string;
    type: string;
    status: string | null;
    release: string | null;
    released: Record<string, unknown> | null;
    commitment: string | null;
    commitmentHolds: boolean | null;
  }[];
}

/**
 * Compares the platform log's events of one request with each target's own log, and says in
 * plain sentences what does not agree (no exact figure: the owner's evidence holds none).
 */
export function compareOutreachLogs(
  requestId: string,
  targets: readonly string[],
  platform: readonly PlatformOutreachEvent[],
  evidence: ReadonlyMap<string, OwnerEvidence | null>,
): string[] {
  const mismatches: string[] = [];
  for (const event of platform) {
    if (!targets.includes(event.brandId)) mismatches.push(`${event.brandId}: pushed ${event.type} for a request it is not a target of`);
  }
  for (const brandId of targets) {
    const owner = evidence.get(brandId) ?? null;
    if (!owner) {
      mismatches.push(`${brandId}: the owner's log could not be read`);
      continue;
    }
    if (owner.brandId !== brandId || owner.requestId !== requestId) {
      mismatches.push(`${brandId}: the owner's answer is about another brand or request`);
      continue;
    }
    const byId = new Map(owner.events.map((event) => [event.id, event]));
    const ours = platform.filter((event) => event.brandId === brandId);
    for (const event of ours) {
      const nodeEventId = typeof event.payload.nodeEventId === "string" ? event.payload.nodeEventId : "?";
      const counterpart = byId.get(nodeEventId);
      if (event.type === STATUS_EVENT) {
        const status = String(event.payload.status);
        if (!counterpart || counterpart.status !== status || counterpart.type !== `outreach.${status.toLowerCase()}`) {
          mismatches.push(`${brandId}: status ${status} (node event ${nodeEventId}) has no matching event in the owner's log`);
        }
      } else if (event.type === RELEASE_EVENT) {
        const release = String(event.payload.releaseNumber);
        if (!counterpart || counterpart.type !== OWNER_RELEASE_EVENT || counterpart.release !== release) {
          mismatches.push(`${brandId}: release ${release} (node event ${nodeEventId}) has no matching event in the owner's log`);
          continue;
        }
        if (counterpart.commitment !== event.payload.commitment) mismatches.push(`${brandId}: release ${release}: the commitments differ`);
        mismatches.push(...releasedDifferences(brandId, release, asRecord(event.payload.released), counterpart.released ?? {}));
      }
    }
    const pushed = new Set(ours.map((event) => event.payload.nodeEventId));
    for (const event of owner.events) {
      if (event.type !== OWNER_RELEASE_EVENT) continue;
      if (event.commitmentHolds !== true) mismatches.push(`${brandId}: release ${event.release} (node event ${event.id}): the owner's exact figures do not match its commitment`);
      if (!pushed.has(event.id)) mismatches.push(`${brandId}: release ${event.release} (node event ${event.id}) is not in the platform log`);
    }
  }
  return mismatches;
}

function releasedDifferences(brandId: string, release: string, platform: Record<string, unknown>, owner: Record<string, unknown>): string[] {
  const names = [...new Set([...Object.keys(platform), ...Object.keys(owner)])].sort();
  return names
    .filter((name) => JSON.stringify(platform[name] ?? null) !== JSON.stringify(owner[name] ?? null))
    .map((name) => `${brandId}: release ${release}: released ${name} differs (platform log ${JSON.stringify(platform[name] ?? null)}, owner's log ${JSON.stringify(owner[name] ?? null)})`);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

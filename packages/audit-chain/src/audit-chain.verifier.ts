import { GENESIS_HASH, hashAuditChainLink } from "./audit-chain.hash.js";
import type { AuditChainLink } from "./audit-chain.hash.js";
import type { AuditChainVerification } from "./audit-chain.types.js";

/**
 * Checks a chain one event at a time, so that a table or an export file can be verified without
 * holding it in memory. Stops counting at the first broken link.
 */
export class AuditChainVerifier {
  private expectedSeq = 1;
  private expectedPrevHash = GENESIS_HASH;
  private checked = 0;
  private brokenAt: string | null = null;
  private broken = false;

  /**
   * Takes the next event; returns false if it breaks the chain. `faithful: false` marks an event
   * whose stored form was lost in reading it (see hasOnlyExactNumbers), which breaks it too.
   */
  accept(link: AuditChainLink & { hash: string }, faithful = true): boolean {
    if (this.broken) return false;
    this.checked += 1;
    // A gap (removed event) or a repeat (duplicated event) shows as an unexpected seq.
    const intact =
      faithful &&
      link.seq === this.expectedSeq &&
      link.prevHash === this.expectedPrevHash &&
      recomputes(link);
    if (!intact) {
      this.markBroken(link.id);
      return false;
    }
    this.expectedSeq += 1;
    this.expectedPrevHash = link.hash;
    return true;
  }

  private markBroken(eventId: string | null): void {
    this.broken = true;
    this.brokenAt = eventId;
  }

  /** Counts an event that could not even be read as one, and marks the chain broken there. */
  rejectUnreadable(eventId: string | null): void {
    if (this.broken) return;
    this.checked += 1;
    this.markBroken(eventId);
  }

  result(): AuditChainVerification {
    return { ok: !this.broken, checked: this.checked, firstBrokenEventId: this.brokenAt };
  }
}

function recomputes(link: AuditChainLink & { hash: string }): boolean {
  try {
    return hashAuditChainLink(link) === link.hash;
  } catch {
    // Content that could never have been appended (not an object, unsafe integer...) is a break,
    // not a reason to stop verifying with an exception.
    return false;
  }
}

import { RoaringBitmap32 } from "./roaring.js";
import type { Channel } from "../members/expression.sql.js";

/**
 * The members' current rows for a set of member positions (`seq`), as the index applies them:
 * `changed` names every position the batch speaks for (a position in `changed` and absent from
 * `present` is a member that no longer exists); the other lists hold the positions present, each
 * consent, and per tag id the positions holding the tag. Lists need not be sorted.
 */
export interface MemberBatch {
  changed: readonly number[];
  present: readonly number[];
  consent: Readonly<Record<Channel, readonly number[]>>;
  tags: ReadonlyMap<number, readonly number[]>;
}

export const CHANNELS: readonly Channel[] = ["SMS", "EMAIL", "MAIL"];

/**
 * One compressed bitmap per tag id, one per consent channel and one of every member, over member
 * positions (`seq`). Every bitmap holds only positions of members that exist, so a complement is
 * taken against `all` (or a channel's consent bitmap) and is never materialised to count it.
 */
export class AudienceBitmaps {
  readonly all = new RoaringBitmap32();
  readonly consent: Readonly<Record<Channel, RoaringBitmap32>> = {
    SMS: new RoaringBitmap32(),
    EMAIL: new RoaringBitmap32(),
    MAIL: new RoaringBitmap32(),
  };
  private readonly tags = new Map<number, RoaringBitmap32>();
  private static readonly EMPTY = new RoaringBitmap32().freeze();

  /** The bitmap of a tag id (an empty one, shared and frozen, for a tag nobody holds). */
  tag(id: number): RoaringBitmap32 {
    return this.tags.get(id) ?? AudienceBitmaps.EMPTY;
  }

  /**
   * Sets the batch's positions to their current rows: every bit of a changed position is cleared,
   * then the present ones are set again. Idempotent, so applying a batch twice (or a member that
   * changed twice) is harmless.
   */
  apply(batch: MemberBatch): void {
    if (batch.changed.length > 0) {
      const changed = new RoaringBitmap32(batch.changed);
      this.all.andNotInPlace(changed);
      for (const channel of CHANNELS) this.consent[channel].andNotInPlace(changed);
      for (const bitmap of this.tags.values()) bitmap.andNotInPlace(changed);
      changed.dispose();
    }
    this.all.addMany(batch.present);
    for (const channel of CHANNELS) this.consent[channel].addMany(batch.consent[channel]);
    for (const [id, positions] of batch.tags) {
      let bitmap = this.tags.get(id);
      if (!bitmap) this.tags.set(id, (bitmap = new RoaringBitmap32()));
      bitmap.addMany(positions);
    }
  }

  /** Compacts runs after a load (smaller and faster for long runs of set bits). */
  optimize(): void {
    this.all.runOptimize();
    for (const channel of CHANNELS) this.consent[channel].runOptimize();
    for (const bitmap of this.tags.values()) {
      bitmap.runOptimize();
      bitmap.shrinkToFit();
    }
  }

  /** Bytes the bitmaps take serialised (their size in memory is close to it). */
  sizeInBytes(): number {
    let bytes = this.all.getSerializationSizeInBytes(false);
    for (const channel of CHANNELS) bytes += this.consent[channel].getSerializationSizeInBytes(false);
    for (const bitmap of this.tags.values()) bytes += bitmap.getSerializationSizeInBytes(false);
    return bytes;
  }

  dispose(): void {
    this.all.dispose();
    for (const channel of CHANNELS) this.consent[channel].dispose();
    for (const bitmap of this.tags.values()) bitmap.dispose();
    this.tags.clear();
  }
}

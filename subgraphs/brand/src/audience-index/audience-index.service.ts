import pg from "pg";
import { AudienceBitmaps } from "./audience-bitmaps.js";
import { loadMembers, pruneChanges, readChanges } from "./member-changes.repository.js";
import type { SnapshotPosition } from "./member-changes.repository.js";

/**
 * Connection options for the index's pool: its catch-up is a prepared statement with a generic
 * plan (planning it anew cost more than running it). A generic plan is made with the tables'
 * statistics of its first use, so connections are renewed every few minutes: a plan made while
 * member_changes was nearly empty (a scan of the whole table) does not outlive its growth. JIT is
 * off: a plan made while member_changes held an import's rows is costed above `jit_above_cost`,
 * and Postgres then compiled the catch-up anew at every count (about 200 ms, for a statement that
 * reads a few index entries).
 */
export const AUDIENCE_INDEX_POOL_OPTIONS = { max: 2, maxLifetimeSeconds: 300, options: "-c plan_cache_mode=force_generic_plan -c jit=off" } as const;

/** The channel member_changes' inserts notify (migration 0014), once per committed transaction. */
export const MEMBER_CHANGES_CHANNEL = "member_changes";
/** After its connection is lost, the change feed is tried again this often (counts catch up meanwhile). */
const WATCH_RETRY_MS = 1_000;

/**
 * How fresh a count's bitmaps must be:
 * - `committed`: everything committed before the call (the owner's own counts: read-your-writes);
 * - `notified`: everything whose change notification this process had received (a count for
 *   another brand, noisy anyway): a few milliseconds behind a commit at most, and no round trip
 *   when nothing changed. Without a live change feed it is `committed`.
 */
export type Freshness = "committed" | "notified";

export interface AudienceIndexOptions {
  /** Called with an error of a background load (the index then stays unloaded; counts go to SQL). */
  onError?: (error: unknown) => void;
}

/**
 * The node's in-process audience index: the bitmaps of its members (see AudienceBitmaps) and the
 * snapshot they reflect. `current()` brings them up to date before every count in one statement
 * (member-changes.repository.ts), so a count is exact as of a moment after the caller asked:
 * whatever committed before the call is in it. With `watch`, a `notified` count skips that round
 * trip while no change was notified since the last one. Until the first load ends (and while a
 * reload runs) `current()` answers null and the caller counts in SQL.
 *
 * Catch-ups are serialised: a caller arriving while one runs waits for the next one (the running
 * one may have taken its snapshot before the caller's own last commit), and every caller arriving
 * meanwhile shares that next one, so concurrent counts cost one round trip between them.
 */
export class AudienceIndex {
  private bitmaps: AudienceBitmaps | null = null;
  private position: SnapshotPosition | null = null;
  private loading: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** Bumped by each (re)load, so that a catch-up read before it is not applied after it. */
  private generation = 0;
  /** The LISTEN connection while it is up (`watch`). */
  private feed: pg.Client | null = null;
  private watching = false;
  /** A change was notified (or could have been missed) since the last catch-up round began. */
  private notified = true;
  private catchUps = 0;
  private feedFailures = 0;

  /**
   * @param pool the index's own connections (a catch-up at a time, plus a load), best opened
   * with AUDIENCE_INDEX_POOL_OPTIONS.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly options: AudienceIndexOptions = {},
  ) {}

  get ready(): boolean {
    return this.bitmaps !== null;
  }

  /** Starts loading every member (in the background); resolves when that load ends. */
  load(): Promise<void> {
    this.loading ??= this.reload().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Up-to-date bitmaps (see Freshness), or null while the index is not loaded. */
  async current(freshness: Freshness = "committed"): Promise<AudienceBitmaps | null> {
    if (!this.bitmaps) return null;
    if (freshness === "notified" && this.feed && !this.notified) {
      // A round under way may be reading what was notified before it began: it is waited for.
      await this.running?.catch(() => undefined);
      return this.bitmaps;
    }
    await this.catchUp();
    return this.bitmaps;
  }

  /**
   * Follows member_changes' notifications on a connection of its own, so that `notified` counts
   * skip the catch-up when nothing changed. A lost connection is opened again every second;
   * until it is, every count catches up. Resolves once the first LISTEN is in (or failed).
   */
  async watch(connectionString: string): Promise<void> {
    this.watching = true;
    const client = new pg.Client({ connectionString, application_name: "brandpool-audience-feed" });
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      if (this.feed === client) this.feed = null;
      this.notified = true;
      if (this.watching) setTimeout(() => void this.watch(connectionString), WATCH_RETRY_MS).unref();
    };
    client.on("notification", () => {
      this.notified = true;
    });
    client.on("error", lost);
    client.on("end", lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${MEMBER_CHANGES_CHANNEL}`);
    } catch (error) {
      lost();
      await client.end().catch(() => undefined);
      // Reported once per outage, not at every retry.
      if (this.feedFailures++ === 0) this.options.onError?.(error);
      return;
    }
    if (!this.watching || gone) {
      gone = true;
      await client.end().catch(() => undefined);
      return;
    }
    // Whatever committed before the LISTEN was never notified: the next count catches up.
    this.notified = true;
    this.feed = client;
    this.feedFailures = 0;
  }

  /** Ends the change feed (on shutdown). */
  async unwatch(): Promise<void> {
    this.watching = false;
    const feed = this.feed;
    this.feed = null;
    await feed?.end().catch(() => undefined);
  }

  /** Brings the bitmaps up to date with everything committed before this call. */
  catchUp(): Promise<void> {
    if (!this.running) return this.startRound();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        // A round started since then began after this caller arrived: joining it is enough.
        return this.running ?? this.startRound();
      });
    return this.queued;
  }

  /**
   * Deletes change rows every catch-up of this index has read (below the xmin of its position).
   * A second index over the same database that still needed them reloads (see readChanges).
   */
  async prune(): Promise<number> {
    await this.catchUp();
    return this.position ? pruneChanges(this.pool, this.position.xmin) : 0;
  }

  /** For a node counting in SQL: deletes every change row no later load needs. */
  static pruneUnread(pool: pg.Pool): Promise<number> {
    return pruneChanges(pool, null);
  }

  /** What the index holds, for logs and the bench. */
  stats(): { members: number; bytes: number; xmin: number; catchUps: number; watching: boolean } | null {
    return this.bitmaps && this.position
      ? { members: this.bitmaps.all.size, bytes: this.bitmaps.sizeInBytes(), xmin: this.position.xmin, catchUps: this.catchUps, watching: this.feed !== null }
      : null;
  }

  private startRound(): Promise<void> {
    const round = this.applyChanges().finally(() => {
      if (this.running === round) this.running = null;
    });
    this.running = round;
    return round;
  }

  private async applyChanges(): Promise<void> {
    const position = this.position;
    const bitmaps = this.bitmaps;
    if (!position || !bitmaps) return;
    const generation = this.generation;
    // Cleared before the read: a notification arriving from here on may be of a commit the read
    // does not see, and sets it again.
    this.notified = false;
    this.catchUps += 1;
    let changes: Awaited<ReturnType<typeof readChanges>>;
    try {
      changes = await readChanges(this.pool, position);
    } catch (error) {
      this.notified = true;
      throw error;
    }
    if (generation !== this.generation) return;
    if (changes.horizon > position.xmin) {
      // Change rows this index needed were pruned (by another index over the same database):
      // count in SQL until a fresh load is in.
      this.bitmaps = null;
      this.position = null;
      void this.load().catch((error: unknown) => this.options.onError?.(error));
      return;
    }
    bitmaps.apply(changes.batch);
    this.position = changes.snapshot;
  }

  private async reload(): Promise<void> {
    const generation = ++this.generation;
    const fresh = new AudienceBitmaps();
    const snapshot = await loadMembers(this.pool, (batch) => fresh.apply(batch));
    if (generation !== this.generation) return;
    fresh.optimize();
    this.bitmaps = fresh;
    this.position = snapshot;
    this.notified = true;
  }
}

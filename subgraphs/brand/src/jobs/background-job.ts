/**
 * A piece of the node's background work, run as a pg-boss job in the node's own database
 * (DESIGN.md, "Scale"): every `everySeconds`, and soon after a `nudge`. Runs of one job never
 * overlap within a node, and a run that fails is simply followed by the next one, so `run` must
 * be safe to repeat.
 */
export interface BackgroundJob {
  /** The pg-boss queue name: lower-case words and hyphens (`push-outbox`). */
  readonly name: string;
  /** Seconds between runs (whole seconds, at least 1). */
  readonly everySeconds: number;
  /** Throws when the run failed; what it throws is reported by kind only, never stored or logged whole. */
  run(): Promise<void>;
}

import { performance } from "node:perf_hooks";
import type pg from "pg";
import { normalizeTagExpression, parseTagExpression } from "@brandpool/tag-expression";
import type { TagExpression } from "@brandpool/tag-expression";
import { estimateSql } from "./estimate-sql.js";
import { failedRow, figureRow } from "./figure.js";
import type { FigureRow, FigureSpec } from "./figure.js";
import { buildAudienceIndex } from "./bench-audience-index.js";
import type { BenchAudienceIndex } from "./bench-audience-index.js";
import type { QuestionPool, QuestionShape } from "./question-pool.js";

const SHAPES: Record<QuestionShape, string> = { and3: "a and b and c", "or-not": "(a or b) and not c and d" };
/** Timed counts of each question on each side; the figure is the median over questions of their medians. */
const REPEATS = 3;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function timeEach(questions: readonly string[], count: (q: string) => Promise<number>): Promise<{ ms: number; counts: number[] }> {
  const perQuestion: number[] = [];
  const counts: number[] = [];
  for (const question of questions) {
    const runs: number[] = [];
    let n = 0;
    for (let r = 0; r < REPEATS; r++) {
      const started = performance.now();
      n = await count(question);
      runs.push(performance.now() - started);
    }
    perQuestion.push(median(runs));
    counts.push(n);
  }
  return { ms: median(perQuestion), counts };
}

/**
 * Target 1, the count itself: the audience index (built in this process from the owner's
 * database, no HTTP, no ledger) against Postgres `count(*)` over the GIN index, for the same
 * questions of each shape, split into the wider and the narrower half by members matched.
 */
export async function countFigures(context: {
  ownerDb: pg.Client;
  ownerDatabaseUrl: string;
  tagIds: ReadonlyMap<string, number>;
  questions: QuestionPool;
  perShape: number;
  run: { quick: boolean };
  say: (line: string) => void;
}): Promise<FigureRow[]> {
  const { ownerDb, tagIds, questions, run, say } = context;
  const gin = async (expression: string) => {
    const { text, values } = estimateSql(expression, tagIds);
    const result = await ownerDb.query<{ count: string }>(text, values);
    return Number(result.rows[0]?.count ?? Number.NaN);
  };
  let index: BenchAudienceIndex | undefined;
  let indexNote: string;
  const started = performance.now();
  try {
    index = await buildAudienceIndex({ databaseUrl: context.ownerDatabaseUrl });
    indexNote = `index built in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  } catch (error) {
    // The figures then fail with this, rather than showing a count that was not measured.
    indexNote = `building the index failed: ${(error as Error).message}`;
  }
  const rows: FigureRow[] = [];
  try {
    for (const shape of ["and3", "or-not"] as const) {
      const asked = Array.from({ length: context.perShape }, () => questions.take(shape));
      const matched = new Map<string, number>();
      for (const question of asked) matched.set(question, await gin(question));
      const byWidth = [...asked].sort((a, b) => (matched.get(b) ?? 0) - (matched.get(a) ?? 0));
      const half = Math.ceil(byWidth.length / 2);
      for (const [width, group] of [["wide", byWidth.slice(0, half)], ["narrow", byWidth.slice(half)]] as const) {
        const spec: FigureSpec = {
          id: `count-${shape}-${width}`,
          figure: `count, ${SHAPES[shape]}, ${width}: index (no HTTP) vs GIN count(*)`,
          unit: "ms",
          target: { kind: "at-least", value: 50, of: "ratio", sizeBound: false },
          ratioOf: "baseline/measured",
          baselineIs: "Postgres count(*) over the GIN index, median",
        };
        say(`  figure ${spec.id}...`);
        try {
          const baseline = await timeEach(group, gin);
          const counts = sorted(baseline.counts);
          const sizes = `${group.length} questions matching ${counts[0]?.toLocaleString("en-US")} to ${counts.at(-1)?.toLocaleString("en-US")} members`;
          const note = `${sizes}; ${indexNote}`;
          if (!index) throw new Error(indexNote);
          const ix = index;
          const parsed = new Map(group.map((q) => [q, normalizeTagExpression(parseTagExpression(q))]));
          // Caught up (reloaded if the node's prune passed it while the GIN counts ran), untimed.
          const reloadsBefore = ix.reloads();
          await ix.ready();
          const catchUpsBefore = ix.catchUps();
          const timed = await timeEach(group, async (q) => ix.count(parsed.get(q) as TagExpression));
          const catchUps = ix.catchUps() - catchUpsBefore;
          const wrong = group.findIndex((q, i) => timed.counts[i] !== matched.get(q));
          if (wrong >= 0) throw new Error(`the index counts ${timed.counts[wrong]} for ${group[wrong]}, SQL ${matched.get(group[wrong] as string)}`);
          // What the figure holds besides the bitmaps: the check for a notified change (and a
          // catch-up's round trip when there was one), as the node counts for another brand.
          const bitmapsOnly = await timeEach(group, async (q) => ix.countBitmaps(parsed.get(q) as TagExpression));
          const reloaded = ix.reloads() - reloadsBefore;
          const measured = timed.ms;
          const fullNote = `${note}; ${catchUps} catch-up round trip(s) in the timed counts; the bitmaps alone ${bitmapsOnly.ms.toFixed(3)} ms, ${(baseline.ms / bitmapsOnly.ms).toFixed(0)}x${reloaded ? `; reloaded ${reloaded} time(s) after the node's prune` : ""}`;
          rows.push(figureRow(spec, { measured, baseline: baseline.ms, extra: { n: group.length, note: fullNote } }, run));
        } catch (error) {
          rows.push(failedRow(spec, error, run));
        }
      }
    }
  } finally {
    await index?.close();
  }
  return rows;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

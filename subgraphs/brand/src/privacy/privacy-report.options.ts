import { parseArgs } from "node:util";
import { parseEpsilon, type Rational } from "./discrete-laplace.js";

/** Options of `npm run privacy:report`; the defaults are the platform's (DESIGN.md). */
export type PrivacyReportOptions = {
  /** Epsilon per new question, as typed. Default "0.1". */
  epsilon: string;
  epsilonRational: Rational;
  /** Released answers per audience row. Default 20,000. */
  draws: number;
  /** Repetitions of each attack at its largest question count. Default 2,000. */
  trials: number;
  /** New questions one requester may ask one owner a month. Default 100 (quota 10). */
  pairQuestions: number;
  /** New questions one owner answers a month, pool-wide. Default 500 (cap 50). */
  poolQuestions: number;
  /** Derives the HMAC secret, so the same seed gives the same report. Default "brandpool". */
  seed: string;
};

export type ParsedReportArgs = { help: true } | { help: false; options: PrivacyReportOptions };

/** A refused command line; the message names the option. */
export class ReportOptionError extends Error {
  override readonly name = "ReportOptionError";
}

// The attacks draw trials * pool-questions answers each; at about 5 us an answer this bounds a
// run to a few minutes, so a typo cannot occupy the shared machine for hours.
export const MAX_ATTACK_ANSWERS = 50_000_000;

export const REPORT_USAGE = `usage: npm run privacy:report -- [options]
  Measures the privacy layer's real mechanism (releaseCount) against the margin95 it states,
  and how far averaging or differencing within the monthly budgets could narrow one count.
  --epsilon <decimal>       epsilon per new question (default 0.1)
  --draws <n>               answers per audience row, 100 to 10,000,000 (default 20000)
  --trials <n>              repetitions of each attack, 20 to 1,000,000 (default 2000)
  --pair-questions <n>      even; new questions a month, one requester at one owner (default 100)
  --pool-questions <n>      even; new questions a month at one owner, pool-wide (default 500)
  --seed <text>             derives the HMAC secret; same seed, same report (default brandpool)
  -h, --help                this text`;

const DEFAULTS = {
  epsilon: "0.1",
  draws: "20000",
  trials: "2000",
  "pair-questions": "100",
  "pool-questions": "500",
  seed: "brandpool",
} as const;

/** Parses the CLI's arguments; throws ReportOptionError naming the first bad option. */
export function parseReportArgs(args: readonly string[]): ParsedReportArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        epsilon: { type: "string", default: DEFAULTS.epsilon },
        draws: { type: "string", default: DEFAULTS.draws },
        trials: { type: "string", default: DEFAULTS.trials },
        "pair-questions": { type: "string", default: DEFAULTS["pair-questions"] },
        "pool-questions": { type: "string", default: DEFAULTS["pool-questions"] },
        seed: { type: "string", default: DEFAULTS.seed },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    // parseArgs names the unknown option, the missing value or the stray argument.
    throw new ReportOptionError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };

  let epsilonRational: Rational;
  try {
    epsilonRational = parseEpsilon(values.epsilon);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReportOptionError(`--epsilon ${JSON.stringify(values.epsilon)}: ${reason}`);
  }
  const draws = integerOption("draws", values.draws, 100, 10_000_000);
  const trials = integerOption("trials", values.trials, 20, 1_000_000);
  const pairQuestions = evenOption("pair-questions", values["pair-questions"]);
  const poolQuestions = evenOption("pool-questions", values["pool-questions"]);
  const attackAnswers = 2 * trials * Math.max(pairQuestions, poolQuestions);
  if (attackAnswers > MAX_ATTACK_ANSWERS) {
    const larger = poolQuestions >= pairQuestions ? "pool-questions" : "pair-questions";
    throw new ReportOptionError(
      `--trials ${trials} with --${larger} ${Math.max(pairQuestions, poolQuestions)} would ` +
        `release ${attackAnswers} answers; at most ${MAX_ATTACK_ANSWERS}`,
    );
  }
  if (values.seed.length === 0) throw new ReportOptionError("--seed must not be empty");
  return {
    help: false,
    options: {
      epsilon: values.epsilon,
      epsilonRational,
      draws,
      trials,
      pairQuestions,
      poolQuestions,
      seed: values.seed,
    },
  };
}

function integerOption(name: string, text: string, minimum: number, maximum: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new ReportOptionError(
      `--${name} must be an integer from ${minimum} to ${maximum}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

// Even, so that the difference attack can spend the questions as n/2 pairs.
function evenOption(name: string, text: string): number {
  const value = integerOption(name, text, 2, 100_000);
  if (value % 2 !== 0) {
    throw new ReportOptionError(`--${name} must be even (pairs of questions), got ${value}`);
  }
  return value;
}

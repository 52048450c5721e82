import { describe, expect, it } from "vitest";
import { canonicalQuestion } from "./canonical-question.js";
import { formatTagExpression } from "./format-tag-expression.js";
import { questionKey } from "./question-key.js";
import { type QuestionTaxonomy, questionTaxonomy } from "./question-taxonomy.js";
import {
  randomExpression,
  rewrite,
  type RewriteOptions,
} from "./rewrite-tag-expression.fixture.js";
import { seededRandom } from "./seeded-random.fixture.js";
import type { TagExpression } from "./tag-expression.types.js";
import { feasibleMembers, type TagUniverse, truthTable } from "./truth-table.fixture.js";

const UNIVERSE: TagUniverse = {
  one: { age: ["18-24", "25-34", "35-44"], gender: ["f", "m"] },
  many: ["interest:pie", "interest:tea", "vip:gold"],
};
const TAGS = [
  ...Object.entries(UNIVERSE.one).flatMap(([dimension, values]) =>
    values.map((value) => `${dimension}:${value}`),
  ),
  ...UNIVERSE.many,
];
const TAXONOMY = questionTaxonomy([
  ["age", "ONE"],
  ["gender", "ONE"],
]);
const EXCLUSIVE: RewriteOptions["exclusive"] = [
  ["age:18-24", "age:25-34"],
  ["age:25-34", "age:35-44"],
  ["age:35-44", "age:18-24"],
  ["gender:f", "gender:m"],
];
const QUESTIONS = 1500;
const REWRITES = 2;

type World = {
  readonly taxonomy: QuestionTaxonomy | undefined;
  readonly members: readonly ReadonlySet<string>[];
  readonly rewrites: RewriteOptions;
};

const WITH_TAXONOMY: World = {
  taxonomy: TAXONOMY,
  members: feasibleMembers(UNIVERSE),
  rewrites: { tags: TAGS, exclusive: EXCLUSIVE },
};
// Without a taxonomy every tag is independent, so the oracle enumerates all 2^8 members.
const WITHOUT_TAXONOMY: World = {
  taxonomy: undefined,
  members: feasibleMembers({ one: {}, many: TAGS }),
  rewrites: { tags: TAGS, exclusive: [] },
};

type Sample = { expr: TagExpression; table: string; key: string };

/** Random questions and random rewrites of each, keyed and tabled independently. */
function samples(world: World, seed: number): Sample[] {
  const random = seededRandom(seed);
  const result: Sample[] = [];
  const add = (expr: TagExpression): void => {
    const table = truthTable(expr, world.members);
    const key = questionKey(expr, "SMS", world.taxonomy);
    result.push({ expr, table, key });
  };
  for (let i = 0; i < QUESTIONS; i += 1) {
    const expr = randomExpression(random, TAGS, 3);
    add(expr);
    for (let r = 0; r < REWRITES; r += 1) add(rewrite(expr, random, world.rewrites));
  }
  return result;
}

/** Equal truth tables <=> equal keys: each table has one key and each key one table. */
function expectKeysFollowTables(all: readonly Sample[]): void {
  const keyOfTable = new Map<string, Sample>();
  const tableOfKey = new Map<string, Sample>();
  for (const sample of all) {
    const byTable = keyOfTable.get(sample.table) ?? sample;
    keyOfTable.set(sample.table, byTable);
    const byKey = tableOfKey.get(sample.key) ?? sample;
    tableOfKey.set(sample.key, byKey);
    if (byTable.key !== sample.key || byKey.table !== sample.table) {
      const other = byTable.key !== sample.key ? byTable : byKey;
      expect({
        expression: formatTagExpression(sample.expr),
        key: sample.key,
        sameTable: sample.table === other.table,
      }).toEqual({
        expression: formatTagExpression(other.expr),
        key: other.key,
        sameTable: sample.table === other.table,
      });
    }
  }
  // The detector must have had work on both sides: many distinct meanings, many merges.
  const texts = new Map<string, Set<string>>();
  for (const { table, expr } of all) {
    texts.set(table, (texts.get(table) ?? new Set()).add(formatTagExpression(expr)));
  }
  expect(keyOfTable.size).toBeGreaterThan(300);
  expect([...texts.values()].filter((set) => set.size > 1).length).toBeGreaterThan(300);
}

function expectKindFollowsTable(all: readonly Sample[], world: World): void {
  for (const { expr, table } of all) {
    const { kind } = canonicalQuestion(expr, world.taxonomy);
    const expected = /^0+$/.test(table) ? "never" : /^1+$/.test(table) ? "always" : "some";
    expect({ expression: formatTagExpression(expr), kind }).toEqual({
      expression: formatTagExpression(expr),
      kind: expected,
    });
  }
}

describe("canonical question against a truth-table oracle (seeded)", () => {
  it("keys alike exactly the questions that select the same members, with a taxonomy", () => {
    expectKeysFollowTables(samples(WITH_TAXONOMY, 20261201));
  });

  it("keys alike exactly the questions that select the same members, without a taxonomy", () => {
    expectKeysFollowTables(samples(WITHOUT_TAXONOMY, 4242));
  });

  it("gives every random rewrite of a question the question's key", () => {
    for (const [world, seed] of [
      [WITH_TAXONOMY, 1],
      [WITHOUT_TAXONOMY, 2],
    ] as const) {
      const all = samples(world, seed);
      for (let i = 0; i < all.length; i += REWRITES + 1) {
        const original = all[i] as Sample;
        for (const copy of all.slice(i + 1, i + 1 + REWRITES)) {
          expect(copy.table).toBe(original.table);
          expect(copy.key).toBe(original.key);
        }
      }
    }
  });

  it("keeps every key short and printable ASCII, so never a NUL", () => {
    for (const { key } of [...samples(WITH_TAXONOMY, 5), ...samples(WITHOUT_TAXONOMY, 6)]) {
      expect(key).toMatch(/^v2\|channel=SMS\|[!-~]{1,400}$/);
    }
  });

  it("says never, always or some as the truth table does", () => {
    const all = [...samples(WITH_TAXONOMY, 99), ...samples(WITHOUT_TAXONOMY, 98)];
    expect(all.some(({ table }) => /^0+$/.test(table))).toBe(true);
    expect(all.some(({ table }) => /^1+$/.test(table))).toBe(true);
    expectKindFollowsTable(all.slice(0, QUESTIONS * (REWRITES + 1)), WITH_TAXONOMY);
    expectKindFollowsTable(all.slice(QUESTIONS * (REWRITES + 1)), WITHOUT_TAXONOMY);
  });
});

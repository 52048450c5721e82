import { describe, expect, it } from "vitest";
import { evaluateTagExpression, parseTagExpression } from "@brandpool/tag-expression";
import type { TagExpression } from "@brandpool/tag-expression";
import { AudienceBitmaps, CHANNELS } from "./audience-bitmaps.js";
import type { MemberBatch } from "./audience-bitmaps.js";
import { countExpression } from "./count-expression.js";
import type { Channel } from "../members/expression.sql.js";
import { seededRandom } from "./seeded-random.js";

const TAGS = ["t:a", "t:b", "t:c", "t:d", "t:e", "t:f"];

interface Member {
  seq: number;
  tags: Set<string>;
  consent: Record<Channel, boolean>;
}

function randomMember(seq: number, random: () => number): Member {
  // Uneven densities, so that the evaluation's smallest-first ordering matters.
  const tags = new Set(TAGS.filter((_tag, i) => random() < [0.6, 0.3, 0.1, 0.02, 0.5, 0.9][i]!));
  return { seq, tags, consent: { SMS: random() < 0.5, EMAIL: random() < 0.3, MAIL: random() < 0.05 } };
}

function randomExpression(random: () => number, depth: number): TagExpression {
  const roll = random();
  if (depth === 0 || roll < 0.3) {
    const key = TAGS[Math.floor(random() * TAGS.length)] as string;
    const [dimension, value] = key.split(":") as [string, string];
    return { kind: "tag", key, dimension, value };
  }
  if (roll < 0.45) return { kind: "not", operand: randomExpression(random, depth - 1) };
  const operands = Array.from({ length: 2 + Math.floor(random() * 3) }, () => randomExpression(random, depth - 1));
  return { kind: roll < 0.75 ? "and" : "or", operands };
}

function batchOf(changed: number[], members: readonly Member[]): MemberBatch {
  const tags = new Map<number, number[]>();
  members.forEach((member) =>
    member.tags.forEach((tag) => {
      const id = TAGS.indexOf(tag);
      tags.set(id, [...(tags.get(id) ?? []), member.seq]);
    }),
  );
  const consent = (channel: Channel) => members.filter((member) => member.consent[channel]).map((member) => member.seq);
  return { changed, present: members.map((member) => member.seq), consent: { SMS: consent("SMS"), EMAIL: consent("EMAIL"), MAIL: consent("MAIL") }, tags };
}

function naiveCount(expr: TagExpression, members: Iterable<Member>, channel: Channel | null): number {
  let n = 0;
  for (const member of members) {
    if (channel && !member.consent[channel]) continue;
    if (evaluateTagExpression(expr, (key) => member.tags.has(key))) n++;
  }
  return n;
}

function indexCount(bitmaps: AudienceBitmaps, expr: TagExpression, channel: Channel | null): number {
  return countExpression(expr, (key) => bitmaps.tag(TAGS.indexOf(key)), channel ? bitmaps.consent[channel] : bitmaps.all);
}

describe("countExpression", () => {
  const random = seededRandom(11);
  const members = new Map<number, Member>();
  const bitmaps = new AudienceBitmaps();
  // Positions with gaps (deleted members) and past one bitmap container (65,536).
  const initial: Member[] = [];
  for (let seq = 1; seq < 140_000; seq += 1 + Math.floor(random() * 60)) initial.push(randomMember(seq, random));
  initial.forEach((member) => members.set(member.seq, member));
  bitmaps.apply(batchOf([], initial));

  const checkAll = (expressions: readonly TagExpression[]) => {
    for (const expr of expressions) {
      for (const channel of [null, ...CHANNELS]) {
        expect(indexCount(bitmaps, expr, channel), `${JSON.stringify(expr)} ${channel}`).toBe(naiveCount(expr, members.values(), channel));
      }
    }
  };

  it("counts the bench's shapes as a member-by-member evaluation does", () => {
    checkAll(
      ["t:a and t:b and t:c", "(t:a or t:b) and not t:c and t:d", "not t:a", "t:a or not t:b", "not (t:a or t:b)", "not t:a and not t:b", "t:a"].map((text) =>
        parseTagExpression(text),
      ),
    );
  });

  it("counts 400 random expressions (and, or, not, nested) for every channel and none", () => {
    checkAll(Array.from({ length: 400 }, () => randomExpression(random, 4)));
  }, 60_000);

  it("stays equal after batches change, delete and re-insert members", () => {
    const expressions = Array.from({ length: 60 }, () => randomExpression(random, 3));
    for (let round = 0; round < 5; round++) {
      const positions = [...members.keys()];
      const changed: number[] = [];
      const current: Member[] = [];
      for (let i = 0; i < 3_000; i++) {
        const seq = random() < 0.8 ? (positions[Math.floor(random() * positions.length)] as number) : 140_000 + Math.floor(random() * 70_000);
        changed.push(seq);
        if (random() < 0.3) members.delete(seq);
        else members.set(seq, randomMember(seq, random));
      }
      // A batch names each changed position once, with its row as it is now.
      const unique = [...new Set(changed)];
      for (const seq of unique) if (members.has(seq)) current.push(members.get(seq) as Member);
      bitmaps.apply(batchOf(unique, current));
      if (round === 2) bitmaps.apply(batchOf(unique, current));
      expect(bitmaps.all.size).toBe(members.size);
      checkAll(expressions);
    }
  }, 60_000);

  it("counts a tag nobody holds as empty, and its negation as everyone", () => {
    const empty = new AudienceBitmaps();
    empty.apply(batchOf([], [{ seq: 5, tags: new Set(), consent: { SMS: true, EMAIL: false, MAIL: false } }]));
    expect(indexCount(empty, parseTagExpression("t:a"), null)).toBe(0);
    expect(indexCount(empty, parseTagExpression("not t:a"), null)).toBe(1);
    expect(indexCount(empty, parseTagExpression("not t:a and not t:b"), "EMAIL")).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import {
  ESTIMATE_FIELDS,
  FIXTURE_THRESHOLD,
  currentPeriod,
  exactCount,
  expectedAnswer,
  expectedRelease,
  questionKeyOf,
} from "./support/privacy-oracle.js";
import type { AudienceEstimate, Channel } from "./support/privacy-oracle.js";

// DESIGN.md invariant 2: every count that leaves a node for another brand passes its privacy layer.
// The node secrets of the test stack are known here, so each answer is checked against the exact
// figure the privacy layer must have released, computed from the node's database.

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const STYLEHUB_ANALYST = { brand: "stylehub", role: "analyst" } as const;
const TEABAR_ANALYST = { brand: "teabar", role: "analyst" } as const;

type Estimates = Record<string, { audienceEstimate: AudienceEstimate } | null>;

const AT_TEABAR_AND_STYLEHUB = `query($expression: String!, $channel: OutreachChannel) {
  teabar: brand(id: "teabar") { audienceEstimate(expression: $expression, channel: $channel) { ${ESTIMATE_FIELDS} } }
  stylehub: brand(id: "stylehub") { audienceEstimate(expression: $expression, channel: $channel) { ${ESTIMATE_FIELDS} } }
}`;

const AT_TEABAR = `query($expression: String!, $channel: OutreachChannel) {
  teabar: brand(id: "teabar") { audienceEstimate(expression: $expression, channel: $channel) { ${ESTIMATE_FIELDS} } }
}`;

describe("protected counts: estimates through the owner's privacy layer", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function estimateAtTeabar(claims: { brand: string; role: "analyst" }, expression: string, channel: Channel | null): Promise<AudienceEstimate> {
    const result = await stack.ask<Estimates>(claims, AT_TEABAR, { expression, channel });
    expect(result.errors).toEqual([]);
    const answer = result.data?.teabar?.audienceEstimate;
    if (!answer) throw new Error(`no answer: ${result.raw}`);
    return answer;
  }

  async function tableCounts(brandId: string): Promise<Record<string, number>> {
    const [row] = await stack.sql<Record<string, number>>(
      brandId,
      `SELECT (SELECT count(*)::int FROM privacy_answers) AS answers, (SELECT count(*)::int FROM privacy_spend) AS spend,
              (SELECT count(*)::int FROM coordinator_outbox) AS outbox, (SELECT count(*)::int FROM audit_events) AS audit`,
    );
    return row ?? {};
  }

  it("answers one query at two partners, each from its own node's members and secret, the same to every partner and every wording", async () => {
    const expression = "age:18-24 or interest:tea";
    const match = { anyOf: ["age:18-24", "interest:tea"] };
    const exact = { teabar: await exactCount(stack, "teabar", match, "SMS"), stylehub: await exactCount(stack, "stylehub", match, "SMS") };
    const expected = {
      teabar: expectedRelease(stack, "teabar", expression, "SMS", exact.teabar),
      stylehub: expectedRelease(stack, "stylehub", expression, "SMS", exact.stylehub),
    };
    // Different owners must give different answers, or a swapped route would go unnoticed.
    expect(expected.teabar.count).not.toBe(expected.stylehub.count);

    const first = await stack.ask<Estimates>(PIESHOP_ANALYST, AT_TEABAR_AND_STYLEHUB, { expression, channel: "SMS" });
    expect(first.errors).toEqual([]);
    for (const owner of ["teabar", "stylehub"] as const) {
      const answer = first.data?.[owner]?.audienceEstimate;
      expect(answer?.margin95).toBe(30);
      expect(Math.abs((answer?.count ?? Number.NaN) - exact[owner])).toBeLessThanOrEqual(3 * 30);
      expect(answer).toEqual(expectedAnswer(expected[owner], false));
    }

    const again = await stack.ask<Estimates>(PIESHOP_ANALYST, AT_TEABAR_AND_STYLEHUB, { expression, channel: "SMS" });
    expect(again.errors).toEqual([]);
    expect(again.data?.teabar?.audienceEstimate).toEqual(expectedAnswer(expected.teabar, true));
    expect(again.data?.stylehub?.audienceEstimate).toEqual(expectedAnswer(expected.stylehub, true));

    // Operands reordered and duplicated: the same question in normal form, so the same stored answer.
    const reworded = await stack.ask<Estimates>(PIESHOP_ANALYST, AT_TEABAR_AND_STYLEHUB, {
      expression: "interest:tea or age:18-24 or age:18-24",
      channel: "SMS",
    });
    expect(reworded.errors).toEqual([]);
    expect(reworded.data?.teabar?.audienceEstimate).toEqual(expectedAnswer(expected.teabar, true));
    expect(reworded.data?.stylehub?.audienceEstimate).toEqual(expectedAnswer(expected.stylehub, true));

    // Another partner gets the very same figure: no requester in the noise key, nothing to average.
    // `repeated` is about the asking brand only: stylehub never had this answer.
    expect(await estimateAtTeabar(STYLEHUB_ANALYST, expression, "SMS")).toEqual(expectedAnswer(expected.teabar, false));

    // One stored answer for all those wordings and partners.
    const stored = await stack.sql(
      "teabar",
      "SELECT question_key, exact_count::int AS exact, noisy_count::int AS noisy FROM privacy_answers WHERE question_key LIKE '%18-24%'",
    );
    expect(stored).toEqual([{ question_key: questionKeyOf(expression, "SMS"), exact: exact.teabar, noisy: expected.teabar.noisy }]);
  });

  it("repeats the stored answer within the period even after the members changed", async () => {
    const expression = "interest:coffee";
    const before = await exactCount(stack, "teabar", { allOf: ["interest:coffee"] }, "SMS");
    const first = await estimateAtTeabar(PIESHOP_ANALYST, expression, "SMS");
    expect(first).toEqual(expectedAnswer(expectedRelease(stack, "teabar", expression, "SMS", before), false));

    // Teabar's analyst tags every tea drinker as a coffee drinker too: the exact count jumps.
    const tagged = await stack.ask<{ tagMembers: { affected: number } }>(
      TEABAR_ANALYST,
      'mutation { tagMembers(tag: "interest:coffee", expression: "interest:tea and not interest:coffee") { affected } }',
    );
    expect(tagged.errors).toEqual([]);
    const after = await exactCount(stack, "teabar", { allOf: ["interest:coffee"] }, "SMS");
    expect(after - before).toBeGreaterThan(10 * first.margin95);

    const repeat = await estimateAtTeabar(PIESHOP_ANALYST, expression, "SMS");
    expect(repeat).toEqual({ ...first, repeated: true });
    // A question not asked before sees today's members: the repeat above was the stored answer.
    const fresh = await estimateAtTeabar(PIESHOP_ANALYST, expression, null);
    const exactAnyChannel = await exactCount(stack, "teabar", { allOf: ["interest:coffee"] }, null);
    expect(fresh).toEqual(expectedAnswer(expectedRelease(stack, "teabar", expression, null, exactAnyChannel), false));
  });

  it("applies the k threshold to the noisy count, not to the exact one", async () => {
    // Every pair of tags with its exact SMS-consenting count at teabar; with the secret known, find
    // one question whose exact count is under k but whose noisy count is released, and one the other
    // way round. A threshold on the exact count would get both wrong.
    const pairs = await stack.sql<{ a: string; b: string; n: number }>(
      "teabar",
      `SELECT a.key AS a, b.key AS b, count(*)::int AS n FROM members m
         JOIN tag_dictionary a ON m.tag_ids @> ARRAY[a.id]
         JOIN tag_dictionary b ON m.tag_ids @> ARRAY[b.id] AND a.key < b.key
        WHERE m.consent_sms AND NOT a.sensitive AND NOT b.sensitive
        GROUP BY a.key, b.key`,
    );
    const candidates = pairs.map((pair) => {
      const expression = `${pair.a} and ${pair.b}`;
      return { expression, exact: pair.n, released: expectedRelease(stack, "teabar", expression, "SMS", pair.n) };
    });
    const releasedUnderK = candidates.find((c) => c.exact < FIXTURE_THRESHOLD && !c.released.belowThreshold);
    const withheldOverK = candidates.find((c) => c.exact >= FIXTURE_THRESHOLD && c.released.belowThreshold);
    const few = candidates.find((c) => c.exact <= 5 && c.released.belowThreshold);
    if (!releasedUnderK || !withheldOverK || !few) throw new Error("no pair of tags crosses k in both directions for this secret");
    // Exact counts recomputed with the other query, to make sure the pair counts above are right.
    const exactOf = (c: { expression: string }) => exactCount(stack, "teabar", { allOf: c.expression.split(" and ") }, "SMS");
    expect(await exactOf(releasedUnderK)).toBe(releasedUnderK.exact);
    expect(await exactOf(withheldOverK)).toBe(withheldOverK.exact);

    const result = await stack.ask<{ teabar: Record<string, AudienceEstimate> }>(
      PIESHOP_ANALYST,
      `query($a: String!, $b: String!, $c: String!) { teabar: brand(id: "teabar") {
        releasedUnderK: audienceEstimate(expression: $a, channel: SMS) { ${ESTIMATE_FIELDS} }
        withheldOverK: audienceEstimate(expression: $b, channel: SMS) { ${ESTIMATE_FIELDS} }
        few: audienceEstimate(expression: $c, channel: SMS) { ${ESTIMATE_FIELDS} }
      } }`,
      { a: releasedUnderK.expression, b: withheldOverK.expression, c: few.expression },
    );
    expect(result.errors).toEqual([]);
    const answers = result.data?.teabar;
    expect(answers?.releasedUnderK).toEqual(expectedAnswer(releasedUnderK.released, false));
    expect(answers?.releasedUnderK?.count).toBeGreaterThanOrEqual(FIXTURE_THRESHOLD);
    expect(answers?.withheldOverK).toEqual(expectedAnswer(withheldOverK.released, false));
    expect(answers?.withheldOverK).toMatchObject({ count: null, belowThreshold: true, threshold: FIXTURE_THRESHOLD });
    expect(answers?.few).toMatchObject({ count: null, belowThreshold: true });
    expect(answers?.few).toEqual(expectedAnswer(few.released, false));
  });

  it("counts only the members who consented on the channel asked about", async () => {
    const expression = "interest:tea";
    const mail = await exactCount(stack, "teabar", { allOf: ["interest:tea"] }, "MAIL");
    const anyChannel = await exactCount(stack, "teabar", { allOf: ["interest:tea"] }, null);
    // Far enough apart that an answer ignoring consent could not pass for the MAIL one.
    expect(anyChannel - mail).toBeGreaterThan(6 * 30);
    const result = await stack.ask<{ teabar: Record<string, AudienceEstimate> }>(
      PIESHOP_ANALYST,
      `{ teabar: brand(id: "teabar") {
        mail: audienceEstimate(expression: "interest:tea", channel: MAIL) { ${ESTIMATE_FIELDS} }
        anyChannel: audienceEstimate(expression: "interest:tea") { ${ESTIMATE_FIELDS} }
      } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.teabar.mail).toEqual(expectedAnswer(expectedRelease(stack, "teabar", expression, "MAIL", mail), false));
    expect(result.data?.teabar.anyChannel).toEqual(expectedAnswer(expectedRelease(stack, "teabar", expression, null, anyChannel), false));
  });

  it("charges epsilon to the requester for each new question and nothing for repeats", async () => {
    const pieshopFirst = { expression: "gender:f and region:east", channel: "SMS" as const };
    const pieshopSecond = { expression: "lifecycle:active", channel: "EMAIL" as const };
    const stylehubOwn = { expression: "rfm_r:5", channel: "SMS" as const };
    const keys = [pieshopFirst, pieshopSecond, stylehubOwn].map((q) => questionKeyOf(q.expression, q.channel));
    const spendOf = () =>
      stack.sql<{ requester_brand: string; question_key: string; epsilon: string; period: string }>(
        "teabar",
        "SELECT requester_brand, question_key, epsilon::text AS epsilon, period FROM privacy_spend WHERE question_key = ANY($1::text[]) ORDER BY requester_brand, question_key",
        [keys],
      );
    expect(await spendOf()).toEqual([]);

    await estimateAtTeabar(PIESHOP_ANALYST, pieshopFirst.expression, pieshopFirst.channel);
    await estimateAtTeabar(PIESHOP_ANALYST, pieshopSecond.expression, pieshopSecond.channel);
    await estimateAtTeabar(STYLEHUB_ANALYST, stylehubOwn.expression, stylehubOwn.channel);
    const period = currentPeriod();
    const charged = [
      { requester_brand: "pieshop", question_key: keys[0], epsilon: "0.1", period },
      { requester_brand: "pieshop", question_key: keys[1], epsilon: "0.1", period },
      { requester_brand: "stylehub", question_key: keys[2], epsilon: "0.1", period },
    ].sort((x, y) => `${x.requester_brand}${x.question_key}`.localeCompare(`${y.requester_brand}${y.question_key}`));
    expect(await spendOf()).toEqual(charged);
    const totalBefore = (await tableCounts("teabar")).spend;

    // Repeats by the same partner, in another wording: stored answers, free.
    expect((await estimateAtTeabar(PIESHOP_ANALYST, "region:east and gender:f", "SMS")).repeated).toBe(true);
    expect((await estimateAtTeabar(PIESHOP_ANALYST, pieshopSecond.expression, pieshopSecond.channel)).repeated).toBe(true);
    expect((await estimateAtTeabar(STYLEHUB_ANALYST, stylehubOwn.expression, stylehubOwn.channel)).repeated).toBe(true);
    expect(await spendOf()).toEqual(charged);
    expect((await tableCounts("teabar")).spend).toBe(totalBefore);

    // The other partner's question is new to pieshop: the same stored answer, charged to pieshop
    // like any new question, so nothing tells pieshop that stylehub asked it first.
    const fromStylehub = await estimateAtTeabar(PIESHOP_ANALYST, stylehubOwn.expression, stylehubOwn.channel);
    expect(fromStylehub.repeated).toBe(false);
    expect(await spendOf()).toEqual(
      [...charged, { requester_brand: "pieshop", question_key: keys[2], epsilon: "0.1", period }].sort((x, y) =>
        `${x.requester_brand}${x.question_key}`.localeCompare(`${y.requester_brand}${y.question_key}`),
      ),
    );
    const stored = await stack.sql("teabar", "SELECT count(*)::int AS n FROM privacy_answers WHERE question_key = $1", [keys[2]]);
    expect(stored).toEqual([{ n: 1 }]);
  });

  it("refuses sensitive and unknown tags in an estimate and stores nothing", async () => {
    const before = await tableCounts("teabar");
    const tried: { expression: string; code: string }[] = [
      { expression: "health:pregnant", code: "SENSITIVE_TAG" },
      { expression: "interest:parenting and health:pregnant", code: "SENSITIVE_TAG" },
      { expression: "interest:tea and not health:pregnant", code: "SENSITIVE_TAG" },
      { expression: "interest:knitting", code: "UNKNOWN_TAG" },
      { expression: "interest:tea or interest:knitting", code: "UNKNOWN_TAG" },
    ];
    for (const { expression, code } of tried) {
      const result = await stack.ask<Estimates>(PIESHOP_ANALYST, AT_TEABAR, { expression, channel: "SMS" });
      expect(result.data?.teabar?.audienceEstimate ?? null, expression).toBeNull();
      expect(result.errors.map((error) => error.extensions?.code), expression).toEqual([code]);
    }
    expect(await tableCounts("teabar")).toEqual(before);
    const sensitiveQuestions = await stack.sql("teabar", "SELECT question_key FROM privacy_answers WHERE question_key LIKE '%health:%' OR question_key LIKE '%knitting%'");
    expect(sensitiveQuestions).toEqual([]);
  });
});

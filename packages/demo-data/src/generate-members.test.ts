import { describe, expect, it } from "vitest";
import { CITIES_BY_REGION } from "./china-places.data.js";
import { ageOn } from "./civil-date.util.js";
import type { DemoMember } from "./demo-member.type.js";
import { generateMembers } from "./generate-members.js";
import { LIFECYCLE_JOIN_WINDOWS, MIN_JOIN_AGE, REFERENCE_DATE } from "./member-dates.js";
import { SINGLE_VALUED_DIMENSIONS, TAXONOMY, TAXONOMY_KEYS } from "./taxonomy.data.js";
import type { AgeBand, LifecycleStage, Region } from "./taxonomy.data.js";

const BRANDS = ["pieshop", "teabar", "stylehub"] as const;
type Brand = (typeof BRANDS)[number];

function take(brandId: string, count: number, extra: { seed?: string; startIndex?: number } = {}): DemoMember[] {
  return [...generateMembers({ brandId, count, ...extra })];
}

function valueOf(member: DemoMember, dimension: string): string {
  const tag = member.tags.find((t) => t.startsWith(`${dimension}:`));
  if (!tag) throw new Error(`${member.externalId} has no ${dimension} tag`);
  return tag.slice(dimension.length + 1);
}

function share(members: readonly DemoMember[], test: (m: DemoMember) => boolean): number {
  return members.filter(test).length / members.length;
}

const hasTag = (key: string) => (m: DemoMember) => m.tags.includes(key);

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

const sample: Record<Brand, DemoMember[]> = {
  pieshop: take("pieshop", 5_000),
  teabar: take("teabar", 5_000),
  stylehub: take("stylehub", 5_000),
};
const all = BRANDS.flatMap((b) => sample[b]);

describe("generateMembers: determinism", () => {
  it("yields identical members for identical options", () => {
    expect(take("teabar", 300, { seed: "s1" })).toEqual(take("teabar", 300, { seed: "s1" }));
  });

  it("yields different members for a different seed", () => {
    const a = take("teabar", 50, { seed: "s1" });
    const b = take("teabar", 50, { seed: "s2" });
    expect(a.map((m) => m.phone)).not.toEqual(b.map((m) => m.phone));
    expect(a.map((m) => m.name)).not.toEqual(b.map((m) => m.name));
  });

  it("yields different members for different brands with the same seed", () => {
    const pies = take("pieshop", 50);
    const teas = take("teabar", 50);
    expect(pies.map((m) => m.email)).not.toEqual(teas.map((m) => m.email));
    expect(pies[0]?.externalId).toBe("PP00000001");
    expect(teas[0]?.externalId).toBe("TB00000001");
  });

  it("continues a sequence with startIndex exactly as one run would", () => {
    const whole = take("stylehub", 400, { seed: "cont" });
    const parts = [...take("stylehub", 150, { seed: "cont" }), ...take("stylehub", 250, { seed: "cont", startIndex: 150 })];
    expect(parts).toEqual(whole);
    expect(take("stylehub", 1, { seed: "cont", startIndex: 399 })[0]).toEqual(whole[399]);
  });

  it("yields lazily, so asking for the maximum count costs nothing until drawn", () => {
    const generator = generateMembers({ brandId: "pieshop", count: 100_000_000 });
    expect(generator.next().value?.externalId).toBe("PP00000001");
  });
});

describe("generateMembers: refusals", () => {
  it.each([
    [{ brandId: "nosuchbrand", count: 1 }, /unknown demo brand/],
    [{ brandId: "pieshop", count: -1 }, /count/],
    [{ brandId: "pieshop", count: 1.5 }, /count/],
    [{ brandId: "pieshop", count: 1, startIndex: -3 }, /startIndex/],
    [{ brandId: "pieshop", count: 2, startIndex: 99_999_999 }, /at most/],
  ])("rejects %o when called, before any member is drawn", (options, message) => {
    expect(() => generateMembers(options)).toThrow(message);
  });
});

describe("generateMembers: tags", () => {
  it("uses only taxonomy keys", () => {
    expect(all.flatMap((m) => m.tags.filter((tag) => !TAXONOMY_KEYS.has(tag)))).toEqual([]);
  });

  it("gives every member exactly one tag of each single-valued dimension", () => {
    const wrong = all.flatMap((m) =>
      SINGLE_VALUED_DIMENSIONS.filter((d) => m.tags.filter((t) => t.startsWith(`${d}:`)).length !== 1).map(
        (d) => `${m.externalId} ${d}`,
      ),
    );
    expect(wrong).toEqual([]);
  });

  it("gives every member 0 to 3 distinct interests, and each count occurs", () => {
    const counts = new Set<number>();
    const wrong: string[] = [];
    for (const m of all) {
      const interests = m.tags.filter((t) => t.startsWith("interest:"));
      if (new Set(interests).size !== interests.length || interests.length > 3) wrong.push(m.externalId);
      counts.add(interests.length);
    }
    expect(wrong).toEqual([]);
    expect([...counts].sort()).toEqual([0, 1, 2, 3]);
  });

  it("uses no sensitive tag except health:pregnant, and that only for women aged 25-34", () => {
    const sensitive = new Set(TAXONOMY.filter((t) => t.sensitive).map((t) => t.key));
    const found = all.flatMap((m) =>
      m.tags.filter((t) => sensitive.has(t)).map((t) => `${t} ${valueOf(m, "gender")} ${valueOf(m, "age")}`),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set(["health:pregnant f 25-34"]));
  });

  it("tags about 1% of women aged 25-34 as pregnant", () => {
    const women = take("stylehub", 30_000, { seed: "rarity" }).filter(
      (m) => valueOf(m, "gender") === "f" && valueOf(m, "age") === "25-34",
    );
    const rate = share(women, hasTag("health:pregnant"));
    expect(women.length).toBeGreaterThan(5_000);
    expect(rate).toBeGreaterThan(0.004);
    expect(rate).toBeLessThan(0.02);
  });

  it("keeps recency in step with the lifecycle stage", () => {
    const allowed: Record<LifecycleStage, string[]> = { new: ["4", "5"], active: ["4", "5"], dormant: ["2", "3"], churned: ["1"] };
    const wrong = all.filter((m) => !allowed[valueOf(m, "lifecycle") as LifecycleStage].includes(valueOf(m, "rfm_r")));
    expect(wrong).toEqual([]);
  });
});

describe("generateMembers: personal data", () => {
  it("gives a birth date whose age on the reference date is in the age band", () => {
    const bands: Record<AgeBand, [number, number]> = {
      "18-24": [18, 24], "25-34": [25, 34], "35-44": [35, 44], "45-54": [45, 54], "55+": [55, 120],
    };
    const wrong = all.filter((m) => {
      const [min, max] = bands[valueOf(m, "age") as AgeBand];
      const age = ageOn(m.birthDate, REFERENCE_DATE);
      return !/^\d{4}-\d{2}-\d{2}$/.test(m.birthDate) || age < min || age > max;
    });
    expect(wrong).toEqual([]);
  });

  it("gives a join date in the lifecycle's window, after the member turned 16", () => {
    const wrong = all.filter((m) => {
      const [minAgo, maxAgo] = LIFECYCLE_JOIN_WINDOWS[valueOf(m, "lifecycle") as LifecycleStage];
      const ago = daysBetween(m.joinDate, REFERENCE_DATE);
      return ago < minAgo || ago > maxAgo || ageOn(m.birthDate, m.joinDate) < MIN_JOIN_AGE;
    });
    expect(wrong).toEqual([]);
  });

  it("writes mainland mobile numbers in E.164", () => {
    const phone = /^\+861(3\d|5[0-35-9]|7[35-8]|8\d|9[13589])\d{8}$/;
    expect(all.map((m) => m.phone).filter((p) => !phone.test(p))).toEqual([]);
  });

  it("writes e-mail addresses with a pinyin local part at reserved domains only", () => {
    const email = /^[a-z][a-z._]*\d{6,}@example\.(com|cn|net)$/;
    expect(all.map((m) => m.email).filter((e) => !email.test(e))).toEqual([]);
  });

  it("writes Chinese names of two to four characters", () => {
    expect(all.map((m) => m.name).filter((n) => !/^[\u4e00-\u9fff]{2,4}$/.test(n))).toEqual([]);
  });

  it("places every address in a city of the member's region", () => {
    const misplaced = all.filter((m) =>
      !CITIES_BY_REGION[valueOf(m, "region") as Region].some((c) =>
        c.districts.some((d) => m.address.startsWith(c.province + c.city + d)),
      ),
    );
    expect(misplaced.map((m) => m.address)).toEqual([]);
  });

  it("keeps member numbers, phones and e-mails unique over 100,000 members", () => {
    const ids = new Set<string>();
    const phones = new Set<string>();
    const emails = new Set<string>();
    for (const m of generateMembers({ brandId: "teabar", count: 100_000 })) {
      ids.add(m.externalId);
      phones.add(m.phone);
      emails.add(m.email);
    }
    expect([ids.size, phones.size, emails.size]).toEqual([100_000, 100_000, 100_000]);
  });
});

describe("generateMembers: brands differ", () => {
  const ageShare = (b: Brand, bands: string[]) => share(sample[b], (m) => bands.includes(valueOf(m, "age")));
  const tagShare = (b: Brand, key: string) => share(sample[b], hasTag(key));
  const consentShare = (b: Brand, channel: "sms" | "email" | "mail") => share(sample[b], (m) => m.consent[channel]);

  it("skews teabar young and pieshop to families over 35", () => {
    expect(ageShare("teabar", ["18-24"])).toBeGreaterThan(ageShare("pieshop", ["18-24"]) + 0.2);
    expect(ageShare("pieshop", ["35-44", "45-54", "55+"])).toBeGreaterThan(ageShare("teabar", ["35-44", "45-54", "55+"]) + 0.4);
  });

  it("centres pieshop in the east and teabar in the south and centre", () => {
    expect(tagShare("pieshop", "region:east")).toBeGreaterThan(0.4);
    expect(tagShare("teabar", "region:south") + tagShare("teabar", "region:central")).toBeGreaterThan(0.5);
    expect(tagShare("teabar", "region:east")).toBeLessThan(tagShare("pieshop", "region:east") - 0.2);
  });

  it("skews stylehub to women aged 25-44", () => {
    expect(tagShare("stylehub", "gender:f")).toBeGreaterThan(0.75);
    expect(tagShare("stylehub", "gender:f")).toBeGreaterThan(tagShare("pieshop", "gender:f") + 0.15);
    expect(ageShare("stylehub", ["25-34", "35-44"])).toBeGreaterThan(0.65);
  });

  it("gives each brand its own leading interests", () => {
    for (const other of ["teabar", "stylehub"] as const) {
      expect(tagShare("pieshop", "interest:baking")).toBeGreaterThan(tagShare(other, "interest:baking") + 0.1);
    }
    for (const other of ["pieshop", "stylehub"] as const) {
      expect(tagShare("teabar", "interest:tea")).toBeGreaterThan(tagShare(other, "interest:tea") + 0.1);
    }
    for (const other of ["pieshop", "teabar"] as const) {
      expect(tagShare("stylehub", "interest:fashion")).toBeGreaterThan(tagShare(other, "interest:fashion") + 0.1);
      expect(tagShare("stylehub", "interest:beauty")).toBeGreaterThan(tagShare(other, "interest:beauty") + 0.1);
    }
  });

  it("gives consent at different rates per channel, with stylehub highest for e-mail", () => {
    for (const b of BRANDS) expect(consentShare(b, "sms")).toBeGreaterThan(consentShare(b, "mail") + 0.2);
    expect(consentShare("stylehub", "email")).toBeGreaterThan(consentShare("pieshop", "email") + 0.15);
    expect(consentShare("stylehub", "email")).toBeGreaterThan(consentShare("teabar", "email") + 0.15);
  });
});

describe("generateMembers: throughput", () => {
  // It reports, never asserts a speed; a loaded CI machine may take several seconds per brand.
  it("reports how long 100,000 members take per brand", { timeout: 60_000 }, () => {
    for (const brandId of BRANDS) {
      const started = performance.now();
      let tags = 0;
      for (const m of generateMembers({ brandId, count: 100_000 })) tags += m.tags.length;
      const ms = performance.now() - started;
      console.log(`${brandId}: 100,000 members in ${ms.toFixed(0)} ms (${Math.round(100_000 / (ms / 1000)).toLocaleString("en")}/s, ${tags} tags)`);
    }
  });
});

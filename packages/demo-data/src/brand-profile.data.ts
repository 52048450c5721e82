import type { DemoBrandId } from "./demo-brand.type.js";
import type { AgeBand, Interest, LifecycleStage, Region } from "./taxonomy.data.js";

/**
 * How each demo brand's membership is shaped. Weights are relative, probabilities are absolute.
 * The differences are deliberate and large enough that audience estimates across brands come out
 * visibly different in a demo: a family bakery chain, a young milk-tea bar, a women's fashion chain.
 */
export interface BrandProfile {
  readonly femaleShare: number;
  readonly age: Readonly<Record<AgeBand, number>>;
  readonly region: Readonly<Record<Region, number>>;
  readonly lifecycle: Readonly<Record<LifecycleStage, number>>;
  /** Base interest weights, before the age and gender modifiers in `pick-interests.ts`. */
  readonly interests: Readonly<Record<Interest, number>>;
  /** Weights of carrying 0, 1, 2 or 3 interests. */
  readonly interestCount: readonly [number, number, number, number];
  /** Chance of each monetary score sitting one below, equal to, or one above the frequency score. */
  readonly monetaryShift: readonly [number, number, number];
  readonly consent: { readonly sms: number; readonly email: number; readonly mail: number };
  /** First day a member could have joined (the loyalty programme's launch), `YYYY-MM-DD`. */
  readonly programmeLaunch: string;
}

const INTEREST_BASE: Readonly<Record<Interest, number>> = {
  baking: 4, tea: 4, coffee: 4, fashion: 4, beauty: 4, fitness: 4, travel: 5, parenting: 3,
  pets: 3, gaming: 3, outdoors: 3, reading: 3, music: 3, food: 6, home: 3,
};

export const BRAND_PROFILES: Readonly<Record<DemoBrandId, BrandProfile>> = {
  pieshop: {
    femaleShare: 0.56,
    age: { "18-24": 6, "25-34": 18, "35-44": 34, "45-54": 26, "55+": 16 },
    region: { east: 50, north: 12, south: 8, central: 10, southwest: 8, northwest: 5, northeast: 7 },
    lifecycle: { new: 10, active: 40, dormant: 30, churned: 20 },
    interests: { ...INTEREST_BASE, baking: 22, coffee: 14, parenting: 10, food: 12, home: 7, fashion: 2, gaming: 1.5 },
    interestCount: [18, 34, 30, 18],
    monetaryShift: [0.25, 0.5, 0.25],
    consent: { sms: 0.62, email: 0.26, mail: 0.14 },
    programmeLaunch: "2013-05-18",
  },
  teabar: {
    femaleShare: 0.63,
    age: { "18-24": 38, "25-34": 40, "35-44": 14, "45-54": 6, "55+": 2 },
    region: { east: 14, north: 8, south: 34, central: 26, southwest: 12, northwest: 3, northeast: 3 },
    lifecycle: { new: 20, active: 45, dormant: 20, churned: 15 },
    interests: { ...INTEREST_BASE, tea: 26, music: 8, gaming: 7, food: 9, travel: 7, baking: 2, home: 1.5 },
    interestCount: [15, 32, 33, 20],
    monetaryShift: [0.35, 0.5, 0.15],
    consent: { sms: 0.71, email: 0.17, mail: 0.05 },
    programmeLaunch: "2018-03-08",
  },
  stylehub: {
    femaleShare: 0.82,
    age: { "18-24": 14, "25-34": 42, "35-44": 30, "45-54": 10, "55+": 4 },
    region: { east: 30, north: 25, south: 20, central: 8, southwest: 10, northwest: 3, northeast: 4 },
    lifecycle: { new: 8, active: 35, dormant: 32, churned: 25 },
    interests: { ...INTEREST_BASE, fashion: 24, beauty: 20, travel: 9, fitness: 7, baking: 1.5, gaming: 1.5 },
    interestCount: [12, 30, 34, 24],
    monetaryShift: [0.15, 0.45, 0.4],
    consent: { sms: 0.55, email: 0.52, mail: 0.21 },
    programmeLaunch: "2010-09-01",
  },
};

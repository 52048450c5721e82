import type { BrandProfile } from "./brand-profile.data.js";
import type { SeededRandom } from "./seeded-random.util.js";
import type { AgeBand, LifecycleStage } from "./taxonomy.data.js";

// Members who drifted away were asked longer ago and opted out more since.
const STAGE_FACTOR: Readonly<Record<LifecycleStage, number>> = { new: 1.08, active: 1, dormant: 0.9, churned: 0.75 };

// Older members read e-mail less and letters more.
const EMAIL_AGE_FACTOR: Readonly<Record<AgeBand, number>> = { "18-24": 1.05, "25-34": 1.05, "35-44": 1, "45-54": 0.8, "55+": 0.55 };
const MAIL_AGE_FACTOR: Readonly<Record<AgeBand, number>> = { "18-24": 0.7, "25-34": 0.85, "35-44": 1, "45-54": 1.25, "55+": 1.4 };

export function pickConsent(
  rng: SeededRandom,
  profile: BrandProfile,
  stage: LifecycleStage,
  age: AgeBand,
): { sms: boolean; email: boolean; mail: boolean } {
  const s = STAGE_FACTOR[stage];
  return {
    sms: rng.chance(Math.min(0.97, profile.consent.sms * s)),
    email: rng.chance(Math.min(0.97, profile.consent.email * s * EMAIL_AGE_FACTOR[age])),
    mail: rng.chance(Math.min(0.97, profile.consent.mail * s * MAIL_AGE_FACTOR[age])),
  };
}

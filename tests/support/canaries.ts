import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { memberGlobalId, secretFinder } from "./secret-finder.js";
import type { TestStack } from "./test-stack.js";

/**
 * A member whose every personal string is unique to one test run: if any of them shows up in
 * something another brand received, it can only have come from this member's row.
 */
export interface Canary {
  externalId: string;
  name: string;
  phone: string;
  email: string;
  address: string;
}

/** Tags every canary carries: a combination few fixture members have, so a request for it selects them all. */
export const CANARY_TAGS = ["age:55+", "region:northwest", "interest:gaming", "interest:pets", "interest:outdoors", "lifecycle:new"] as const;
/** An expression every canary matches. */
export const CANARY_EXPRESSION = "age:55+ and region:northwest and interest:gaming and interest:pets";

const IMPORT = "mutation($rows: [MemberInput!]!) { importMembers(rows: $rows) { inserted updated } }";

export function makeCanaries(count: number): Canary[] {
  return Array.from({ length: count }, (_, i) => {
    const tag = randomBytes(6).toString("hex");
    // +86 199 and nine digits: an E.164 mobile number no fixture member has (theirs are drawn elsewhere).
    const digits = String(100_000_000 + (randomBytes(4).readUInt32BE(0) % 900_000_000));
    return {
      externalId: `CANARY-EXT-${tag}-${i}`,
      name: `Canary Quokka ${tag} ${i}`,
      phone: `+86199${digits}`,
      email: `canary.${tag}.${i}@canary-mail.test`,
      address: `${i} Canary Lane ${tag}, Urumqi`,
    };
  });
}

/**
 * Imports canaries into a brand through its real import path (`importMembers` through the gateway
 * as the brand's analyst), consenting on every channel and carrying `CANARY_TAGS`; returns each
 * canary's member id in the node's database.
 */
export async function importCanaries(stack: TestStack, brandId: string, canaries: readonly Canary[]): Promise<string[]> {
  const rows = canaries.map((canary) => ({
    ...canary,
    joinDate: "2026-11-01",
    birthDate: "1950-05-05",
    consent: { sms: true, email: true, mail: true },
    tags: [...CANARY_TAGS],
  }));
  const result = await stack.ask<{ importMembers: { inserted: number } }>({ brand: brandId, role: "analyst" }, IMPORT, { rows });
  expect(result.errors).toEqual([]);
  expect(result.data?.importMembers.inserted).toBe(canaries.length);
  const stored = await stack.sql<{ id: string; external_id: string }>(brandId, "SELECT id::text AS id, external_id FROM members WHERE external_id = ANY($1)", [
    canaries.map((canary) => canary.externalId),
  ]);
  expect(stored).toHaveLength(canaries.length);
  return canaries.map((canary) => stored.find((row) => row.external_id === canary.externalId)?.id as string);
}

/** Every string of the canaries a foreign principal must never see: personal data, member ids and Relay ids. */
export function canaryStrings(brandId: string, canaries: readonly Canary[], memberIds: readonly string[]): string[] {
  return [
    ...canaries.flatMap((canary) => [canary.externalId, canary.name, canary.phone, canary.email, canary.address]),
    // The random part alone: a name or e-mail cut, re-cased or re-encoded would still carry it.
    ...canaries.map((canary) => canary.externalId.split("-")[2] as string),
    ...memberIds.flatMap((id) => [id, memberGlobalId(brandId, id)]),
  ];
}

/** A finder over the canaries' strings that first proves it finds them (so an empty result means something). */
export function canaryFinder(brandId: string, canaries: readonly Canary[], memberIds: readonly string[]): (text: string) => string[] {
  const find = secretFinder(canaryStrings(brandId, canaries, memberIds));
  const sample = JSON.stringify({ data: { member: { name: canaries[0]?.name, phone: canaries[0]?.phone } } });
  expect(find(sample).length).toBeGreaterThan(0);
  return find;
}

/**
 * Which of many secret strings (thousands of phones, emails, ids) occur anywhere in a text.
 * A plain `includes` per secret is too slow over every response of a battery, so secrets are
 * indexed by their first characters and each position of the text is looked up once.
 */
export function secretFinder(secrets: Iterable<string>): (text: string) => string[] {
  const list = [...new Set(secrets)].filter((secret) => secret.length > 0);
  if (list.length === 0) throw new Error("no secrets to look for");
  const width = Math.min(12, ...list.map((secret) => secret.length));
  const byPrefix = new Map<string, string[]>();
  for (const secret of list) {
    const prefix = secret.slice(0, width);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), secret]);
  }
  return (text) => {
    const found = new Set<string>();
    for (let index = 0; index + width <= text.length; index++) {
      const candidates = byPrefix.get(text.slice(index, index + width));
      if (!candidates) continue;
      for (const candidate of candidates) if (text.startsWith(candidate, index)) found.add(candidate);
    }
    return [...found];
  };
}

/** The Relay global id a member of `brandId` has (see subgraphs/brand/src/members/global-id.ts). */
export function memberGlobalId(brandId: string, memberId: string): string {
  return Buffer.from(`Member:${brandId}:${memberId}`, "utf8").toString("base64url");
}

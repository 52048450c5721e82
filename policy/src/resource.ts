/** What is acted on: one brand, or the platform (registry, taxonomy, platform audit log). */
export type Resource = { kind: "brand"; id: string; admitted: boolean } | { kind: "platform" };

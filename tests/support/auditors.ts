/** The principals of the audit trail's tests, as `stack.ask` takes them. */
export const PLATFORM_AUDITOR = { role: "auditor" } as const;
export const auditor = (brand: string) => ({ brand, role: "auditor" }) as const;
export const analyst = (brand: string) => ({ brand, role: "analyst" }) as const;

/** The error codes of a GraphQL answer, in order. */
export const codes = (answer: { errors: { extensions?: Record<string, unknown> }[] }) => answer.errors.map((error) => error.extensions?.code);

/** Cross-brand estimates, so every node's log and the platform log hold events. */
export const ESTIMATES: readonly (readonly [requester: string, owner: string, expression: string])[] = [
  ["pieshop", "teabar", "interest:tea"],
  ["stylehub", "teabar", "interest:tea"],
  ["pieshop", "stylehub", "interest:tea"],
  ...["pieshop", "stylehub"].flatMap((owner) => ["interest:coffee", "interest:baking", "interest:travel"].map((expression) => ["teabar", owner, expression] as const)),
];

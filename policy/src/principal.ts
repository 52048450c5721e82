/** Roles as they appear in verified tokens. `platform-admin` exists only without a brand. */
export const ROLES = ["analyst", "approver", "admin", "auditor", "platform-admin"] as const;

export type Role = (typeof ROLES)[number];

/** What the policies need to know about a brand: its id and whether the pool admitted it. */
export interface BrandFacts {
  id: string;
  admitted: boolean;
}

/**
 * Who is asking. A `user` with `brand: null` is a platform principal (platform auditor or
 * platform admin); a `node` is a brand node calling as a client (`node:<brandId>`); `gateway` is
 * the gateway on its own account; `coordinator` is the coordinator asking nodes through the
 * gateway (a coupon's redemption).
 */
export type Principal =
  | { kind: "user"; subject: string; role: Role; brand: BrandFacts | null }
  | { kind: "node"; brand: BrandFacts }
  | { kind: "gateway" }
  | { kind: "coordinator" };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** A principal as an audit event names it: who, never what they asked for. */
export function principalActor(principal: Principal): Record<string, string | null> {
  switch (principal.kind) {
    case "user":
      return { kind: "user", subject: principal.subject, role: principal.role, brand: principal.brand?.id ?? null };
    case "node":
      return { kind: "node", brand: principal.brand.id };
    case "gateway":
      return { kind: "gateway" };
    case "coordinator":
      return { kind: "coordinator" };
  }
}

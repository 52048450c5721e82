import type {
  CedarValueJson,
  Context,
  EntityJson,
  TypeAndId,
} from "@cedar-policy/cedar-wasm/nodejs";
import { isAction, type Action } from "./action.js";
import { isRole, type BrandFacts, type Principal } from "./principal.js";
import type { Resource } from "./resource.js";

/** The Cedar namespace of schema.cedarschema and policies.cedar. */
export const NAMESPACE = "Brandpool";

/** Id of the singleton platform resource, `Brandpool::Platform::"pool"`. */
export const PLATFORM_ID = "pool";

/** Id of the gateway principal, `Brandpool::Gateway::"gateway"`. */
export const GATEWAY_ID = "gateway";
/** Id of the coordinator principal, `Brandpool::Coordinator::"coordinator"`. */
export const COORDINATOR_ID = "coordinator";

export type RequestContext = Record<string, string | number | boolean>;

export interface AuthorizationRequest {
  principal: Principal;
  action: Action;
  resource: Resource;
  /** Request facts; each attribute must be declared for the action in the schema. */
  context?: RequestContext;
}

export interface CedarRequest {
  principal: TypeAndId;
  action: TypeAndId;
  resource: TypeAndId;
  context: Context;
  entities: EntityJson[];
}

export type CedarRequestResult = { ok: true; request: CedarRequest } | { ok: false; error: string };

function uid(type: string, id: string): TypeAndId {
  return { type: `${NAMESPACE}::${type}`, id };
}

// Entity references inside attributes take the explicit `__entity` form: a bare `{type, id}`
// there could be read as a record.
function brandRef(brand: BrandFacts): { __entity: TypeAndId } {
  return { __entity: uid("Brand", brand.id) };
}

function brandEntity(brand: BrandFacts): EntityJson {
  return { uid: uid("Brand", brand.id), attrs: { admitted: brand.admitted }, parents: [] };
}

function isBrandFacts(value: unknown): value is BrandFacts {
  if (typeof value !== "object" || value === null) return false;
  const brand = value as Partial<BrandFacts>;
  return typeof brand.id === "string" && typeof brand.admitted === "boolean";
}

// Callers build principals from tokens at run time; a malformed one must become an error (and so
// a deny), not an entity that some policy might read in an unexpected way.
function principalEntities(
  principal: Principal,
): { uid: TypeAndId; entity: EntityJson; brand: BrandFacts | null } | string {
  switch (principal?.kind) {
    case "user": {
      if (typeof principal.subject !== "string") return "user principal without a string subject";
      if (!isRole(principal.role)) return "user principal with an unknown role";
      if (principal.brand !== null && !isBrandFacts(principal.brand)) {
        return "user principal with a malformed brand";
      }
      const id = uid("User", principal.subject);
      // A platform principal has no `brand` attribute at all: policies test `principal has brand`.
      const attrs: Record<string, CedarValueJson> = { role: principal.role };
      if (principal.brand !== null) attrs["brand"] = brandRef(principal.brand);
      return { uid: id, entity: { uid: id, attrs, parents: [] }, brand: principal.brand };
    }
    case "node": {
      if (!isBrandFacts(principal.brand)) return "node principal with a malformed brand";
      const id = uid("Node", principal.brand.id);
      const entity = { uid: id, attrs: { brand: brandRef(principal.brand) }, parents: [] };
      return { uid: id, entity, brand: principal.brand };
    }
    case "gateway": {
      const id = uid("Gateway", GATEWAY_ID);
      return { uid: id, entity: { uid: id, attrs: {}, parents: [] }, brand: null };
    }
    case "coordinator": {
      const id = uid("Coordinator", COORDINATOR_ID);
      return { uid: id, entity: { uid: id, attrs: {}, parents: [] }, brand: null };
    }
    default:
      return "unknown principal kind";
  }
}

function contextOf(context: RequestContext | undefined): Context | string {
  if (context === undefined) return {};
  if (typeof context !== "object" || context === null) return "context is not an object";
  for (const [key, value] of Object.entries(context)) {
    // Cedar's numbers are 64-bit integers; a fraction would fail inside Cedar, less clearly.
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      return `context attribute ${JSON.stringify(key)} is not an integer`;
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      return `context attribute ${JSON.stringify(key)} is not a string, integer or boolean`;
    }
  }
  return context;
}

/**
 * Translates a request into Cedar's JSON form with the smallest entity set that the policies
 * read: the principal, its brand, and the resource. Ids travel as JSON strings, never as policy
 * text, so a subject holding quotes or `::` stays one opaque id.
 */
export function toCedarRequest(request: AuthorizationRequest): CedarRequestResult {
  if (!isAction(request.action)) return { ok: false, error: "unknown action" };
  const principal = principalEntities(request.principal);
  if (typeof principal === "string") return { ok: false, error: principal };
  const context = contextOf(request.context);
  if (typeof context === "string") return { ok: false, error: context };

  const entities: EntityJson[] = [principal.entity];
  if (principal.brand !== null) entities.push(brandEntity(principal.brand));

  let resource: TypeAndId;
  const target = request.resource;
  if (target?.kind === "platform") {
    resource = uid("Platform", PLATFORM_ID);
    entities.push({ uid: resource, attrs: {}, parents: [] });
  } else if (target?.kind === "brand" && isBrandFacts(target)) {
    resource = uid("Brand", target.id);
    if (principal.brand === null || principal.brand.id !== target.id) {
      entities.push(brandEntity(target));
    } else if (principal.brand.admitted !== target.admitted) {
      // One brand, two stories: whichever we kept, a policy would read the wrong one.
      return { ok: false, error: "principal and resource disagree on the brand's admission" };
    }
  } else {
    return { ok: false, error: "unknown or malformed resource" };
  }

  return {
    ok: true,
    request: {
      principal: principal.uid,
      action: uid("Action", request.action),
      resource,
      context,
      entities,
    },
  };
}

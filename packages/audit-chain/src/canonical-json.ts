import canonicalizeModule from "canonicalize";
import { assertJsonObject } from "./audit-json.validate.js";
import type { JsonObject } from "./audit-chain.types.js";

// canonicalize is CommonJS (`module.exports = fn`) but its types declare `export default`, which
// NodeNext reads as a `.default` property. At run time Node hands ESM the function itself.
type Canonicalize = (input: unknown) => string | undefined;
export const canonicalize = ((canonicalizeModule as unknown as { default?: Canonicalize }).default ??
  canonicalizeModule) as unknown as Canonicalize;

/**
 * RFC 8785 canonical JSON of a plain JSON object, the same text the audit chain hashes. Throws
 * (plain Error) unless the object survives a jsonb round trip unchanged (no undefined, Date, NaN,
 * unsafe integer, NUL or lone surrogate), so a hash made now is the hash recomputed from storage.
 */
export function canonicalJson(value: JsonObject): string {
  assertJsonObject(value, "value");
  const json = canonicalize(value);
  if (json === undefined) throw new Error("The value has no JSON form");
  return json;
}

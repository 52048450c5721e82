import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface PolicySources {
  /** Cedar schema, human-readable format. */
  schema: string;
  /** Cedar policy set; every policy carries an `@id`. */
  policies: string;
}

// The files sit at the package root, next to src/ and dist/, so one relative path serves both the
// compiled code and the tests that run the sources.
const SCHEMA_URL = new URL("../schema.cedarschema", import.meta.url);
const POLICIES_URL = new URL("../policies.cedar", import.meta.url);

export const SCHEMA_PATH = fileURLToPath(SCHEMA_URL);
export const POLICIES_PATH = fileURLToPath(POLICIES_URL);

/** Reads the schema and policies shipped with this package. */
export function readPolicySources(): PolicySources {
  return {
    schema: readFileSync(SCHEMA_URL, "utf8"),
    policies: readFileSync(POLICIES_URL, "utf8"),
  };
}

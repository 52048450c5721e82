import { AppError } from "@brandpool/errors";

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A database or role name as brandpool makes them: lower-case, at most 63 bytes, nothing to quote. */
export function checkName(name: string, kind: "database" | "role" = "database"): string {
  if (!NAME.test(name)) throw new AppError("BAD_INPUT", `Not a valid ${kind} name: ${JSON.stringify(name)}`);
  return name;
}

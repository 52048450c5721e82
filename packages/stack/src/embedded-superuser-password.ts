import { randomBytes } from "node:crypto";
import { AppError } from "@brandpool/errors";
import { readSecretFile, writeSecretFile } from "./secret-files.js";
import { secretPaths } from "./stack-keys.js";

export interface SuperuserPassword {
  password: string;
  /** The cluster exists but predates generated passwords: the server must set `password` on it. */
  reset: boolean;
  /** Keeps the password once the server has it (after a reset; already kept otherwise). */
  keep(): Promise<void>;
}

const GENERATED = /^[A-Za-z0-9_-]{32,}$/;

/**
 * The embedded server's superuser password for `npm start`: drawn at random the first time and
 * kept in `.data/secrets/postgres/superuser-password` (0600), read back afterwards. For a new
 * cluster it is kept before initdb uses it; for a cluster whose password is unknown (made before
 * generated passwords), only after the server has set it, so a start that dies in between resets
 * again with another one. A file that does not hold a generated password is refused (BAD_INPUT),
 * and nothing is written.
 */
export async function embeddedSuperuserPassword(dataDir: string, clusterExists: boolean): Promise<SuperuserPassword> {
  const file = secretPaths.superuserPassword(dataDir);
  const stored = (await readSecretFile(file))?.trim();
  if (stored !== undefined) {
    if (!GENERATED.test(stored)) throw new AppError("BAD_INPUT", `${file} does not hold a password brandpool wrote; restore it.`);
    return { password: stored, reset: false, keep: async () => undefined };
  }
  const password = randomBytes(32).toString("base64url");
  const keep = () => writeSecretFile(secretPaths.root(dataDir), file, `${password}\n`);
  if (!clusterExists) {
    await keep();
    return { password, reset: false, keep: async () => undefined };
  }
  return { password, reset: true, keep };
}

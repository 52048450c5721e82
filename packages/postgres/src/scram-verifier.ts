import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { AppError } from "@brandpool/errors";

const ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, as `pg_authid`
 * holds it). `CREATE ROLE ... PASSWORD` takes a verifier as it is, so the password itself never
 * reaches the server, its statement log or `pg_stat_activity`.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  // PostgreSQL applies SASLprep to the password; ours are printable ASCII, which it leaves as is.
  if (!/^[\x21-\x7e]+$/.test(password)) throw new AppError("BAD_INPUT", "A database password must be printable ASCII without spaces.");
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Creates the sink's folder (0700: the messages hold personal data, even in development). */
export async function ensureSinkDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/**
 * Writes a file through a temporary name and a rename, so a reader of the folder never sees half
 * a message.
 */
export async function writeSinkFile(dir: string, name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  const temporary = join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, path);
  return path;
}

/** A file name that sorts by arrival: a millisecond time, a per-sink sequence and a random tail. */
export function arrivalName(sequence: number, extension: string): string {
  const time = new Date().toISOString().replace(/[:.]/g, "-");
  return `${time}-${String(sequence).padStart(6, "0")}-${randomBytes(4).toString("hex")}.${extension}`;
}

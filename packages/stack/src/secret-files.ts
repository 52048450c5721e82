import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";

/** Mode of every file under `.data/secrets` (its owner reads and writes it, nobody else). */
export const SECRET_FILE_MODE = 0o600;
/**
 * Mode of every folder on the way to a secret file, from `.data/secrets` down. `.data` itself is
 * left as it is: run as root, the embedded PostgreSQL runs as the OS user `postgres`, which must
 * pass through it to `.data/postgres` (0700 itself, as initdb makes it).
 */
export const SECRET_DIR_MODE = 0o700;

/**
 * Writes `content` to `file` atomically (a temporary file in the same folder, flushed, then
 * renamed over it), mode 0600, every folder from `root` (`.data/secrets`) down to it 0700. A reader sees the old
 * file or the new one, never half of one.
 */
export async function writeSecretFile(root: string, file: string, content: string): Promise<void> {
  await ensureSecretDirs(root, dirname(file));
  const temporary = join(dirname(file), `.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", SECRET_FILE_MODE);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await chmod(temporary, SECRET_FILE_MODE);
  await rename(temporary, file);
}

/** Reads a secret file if it is there, first closing it to everyone but its owner (files from older versions). */
export async function readSecretFile(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  await chmod(file, SECRET_FILE_MODE);
  return readFile(file, "utf8");
}

/** Creates `dir` and every folder between `root` and it with mode 0700, and closes those that exist. */
export async function ensureSecretDirs(root: string, dir: string): Promise<void> {
  const path = relative(root, dir);
  if (path.startsWith("..")) throw new Error(`${dir} is not under ${root}`);
  // Created apart: a recursive mkdir would give its mode to `.data` (and any parent) as well.
  await mkdir(dirname(root), { recursive: true });
  let current = root;
  for (const part of ["", ...(path ? path.split(sep) : [])]) {
    current = part ? join(current, part) : current;
    await mkdir(current, { recursive: true, mode: SECRET_DIR_MODE }); // its parent exists: only `current` is made
    await chmod(current, SECRET_DIR_MODE);
  }
}

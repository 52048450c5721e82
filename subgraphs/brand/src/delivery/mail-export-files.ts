import { randomBytes } from "node:crypto";
import { open, readFile, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { csvRecord, firstFields } from "./export-csv.js";

/**
 * Where a request's mail export lives on its node, shared by the adapter that writes it and the
 * owner's download that reads it: `<dir>/<requestId>/<part>.csv`, one part per batch that added
 * rows, numbered in the order they were written. Parts hold rows only; the header is added when
 * the export is read.
 */
export const MAIL_EXPORT_COLUMNS = [
  "key",
  "name",
  "address_line_1",
  "address_line_2",
  "address_line_3",
  "address_line_4",
  "postal_code",
  "city",
  "region",
  "country",
  "text",
] as const;

export const MAIL_EXPORT_HEADER = csvRecord(MAIL_EXPORT_COLUMNS);

const PART = /^(\d{6})\.csv$/;

export function requestFolder(dir: string, requestId: string): string {
  return join(dir, requestId);
}

export function partName(number: number): string {
  return `${String(number).padStart(6, "0")}.csv`;
}

/** The request's parts in writing order; none when nothing was exported yet. */
export async function listParts(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  return names.filter((name) => PART.test(name)).sort();
}

/** The number of the part after the last one. */
export function nextPartNumber(parts: readonly string[]): number {
  const last = parts.at(-1);
  return last ? Number(PART.exec(last)?.[1]) + 1 : 1;
}

/** The keys of every row of the request's parts. */
export async function exportedKeys(folder: string, parts: readonly string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const part of parts) for (const key of firstFields(await readFile(join(folder, part), "utf8"))) keys.add(key);
  return keys;
}

/** The whole export as one CSV (header first) and its row count; TOO_LARGE above `maxBytes`. */
export async function readMailExport(dir: string, requestId: string, maxBytes: number): Promise<{ rows: number; csv: string } | "TOO_LARGE"> {
  const folder = requestFolder(dir, requestId);
  let csv = MAIL_EXPORT_HEADER;
  let rows = 0;
  for (const part of await listParts(folder)) {
    const text = await readFile(join(folder, part), "utf8");
    if (Buffer.byteLength(csv) + Buffer.byteLength(text) > maxBytes) return "TOO_LARGE";
    csv += text;
    rows += firstFields(text).length;
  }
  return { rows, csv };
}

/** Writes a new file through a temporary one, fsync and rename, then syncs the folder. */
export async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const file = await open(temporary, "wx", 0o600);
    try {
      await file.writeFile(content, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // The rename itself is durable only once the folder is synced.
  const folder = await open(join(path, ".."), "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

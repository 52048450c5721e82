import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DeliveryOutcome } from "./delivery-outcome.type.js";
import { CsvMailExportAdapterOptionsSchema, parseAdapterOptions } from "./adapter-options.schema.js";
import { adapterClosed, parseBatch } from "./delivery.errors.js";
import type { ChannelAdapter } from "./channel-adapter.js";
import { csvRecord, firstFields } from "./export-csv.js";
import { MailMessageSchema } from "./outbound-message.schema.js";
import type { MailMessage } from "./outbound-message.schema.js";

/** Options of {@link createCsvMailExportAdapter}. */
export interface CsvMailExportAdapterOptions {
  /**
   * The node's own export folder (created 0700; each file 0600): `<dir>/<requestId>.csv`. Only
   * the owner downloads these files, through the node.
   */
  dir: string;
}

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

/**
 * Direct mail as an export: each message becomes a row of its request's CSV file, which the
 * owner downloads and hands to a printer. Atomic per batch: the file is rewritten through a
 * temporary file, fsync and rename, so after a crash it holds every row of a batch or none.
 * Rows are keyed: a message whose key is already in the file is not added again and is
 * DELIVERED, so a batch repeated after a crash (file renamed, outcomes not yet recorded) adds
 * nothing. Batches of one file are serialised in this process (a node runs as one process).
 * Each batch reads and rewrites the whole file: linear in its size, fine for the tens of
 * thousands of rows a mailing has.
 */
export function createCsvMailExportAdapter(input: CsvMailExportAdapterOptions): ChannelAdapter<MailMessage> {
  const options = parseAdapterOptions(CsvMailExportAdapterOptionsSchema, input);
  const queues = new Map<string, Promise<unknown>>();
  let closed = false;

  async function appendBatch(requestId: string, messages: readonly MailMessage[]): Promise<DeliveryOutcome[]> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const path = join(options.dir, `${requestId}.csv`);
    const existing = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return csvRecord(MAIL_EXPORT_COLUMNS);
      throw error;
    });
    const present = new Set(firstFields(existing));
    const rows = messages.filter((message) => !present.has(message.key)).map(toRecord);
    if (rows.length > 0) await writeAtomically(path, existing + rows.join(""));
    return messages.map(() => ({ status: "DELIVERED" }));
  }

  /** Runs batches of one file one after another. */
  function serialised(requestId: string, messages: readonly MailMessage[]): Promise<DeliveryOutcome[]> {
    const previous = queues.get(requestId) ?? Promise.resolve();
    const run = previous.then(() => appendBatch(requestId, messages));
    const settled = run.catch(() => undefined);
    queues.set(requestId, settled);
    void settled.then(() => {
      if (queues.get(requestId) === settled) queues.delete(requestId);
    });
    return run;
  }

  async function sendBatch(messages: readonly MailMessage[]): Promise<DeliveryOutcome[]> {
    if (closed) throw adapterClosed();
    const parsed = parseBatch(MailMessageSchema, messages);
    const byRequest = new Map<string, MailMessage[]>();
    for (const message of parsed) byRequest.set(message.requestId, [...(byRequest.get(message.requestId) ?? []), message]);
    const outcomes = new Map<string, DeliveryOutcome>();
    await Promise.all(
      [...byRequest].map(async ([requestId, group]) => {
        let results: DeliveryOutcome[];
        try {
          results = await serialised(requestId, group);
        } catch {
          // A full disk or a read-only folder: nothing of this group was written, try again later.
          results = group.map(() => ({ status: "RETRY", reason: "EXPORT_UNAVAILABLE", retryAfterMs: 0 }));
        }
        group.forEach((message, index) => outcomes.set(message.key, results[index] as DeliveryOutcome));
      }),
    );
    return parsed.map((message) => outcomes.get(message.key) as DeliveryOutcome);
  }

  return {
    channel: "MAIL",
    send: async (message) => (await sendBatch([message]))[0] as DeliveryOutcome,
    sendBatch,
    close: async () => {
      closed = true;
      await Promise.all(queues.values());
    },
  };
}

function toRecord(message: MailMessage): string {
  const { to } = message;
  const lines = [0, 1, 2, 3].map((index) => to.lines[index] ?? "");
  return csvRecord([message.key, to.name, ...lines, to.postalCode, to.city, to.region, to.country, message.text]);
}

async function writeAtomically(path: string, content: string): Promise<void> {
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

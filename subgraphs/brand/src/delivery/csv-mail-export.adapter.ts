import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { DeliveryOutcome } from "./delivery-outcome.type.js";
import { CsvMailExportAdapterOptionsSchema, parseAdapterOptions } from "./adapter-options.schema.js";
import { adapterClosed, parseBatch } from "./delivery.errors.js";
import type { ChannelAdapter } from "./channel-adapter.js";
import { csvRecord } from "./export-csv.js";
import { exportedKeys, listParts, nextPartNumber, partName, requestFolder, writeAtomically } from "./mail-export-files.js";
import { MailMessageSchema } from "./outbound-message.schema.js";
import type { MailMessage } from "./outbound-message.schema.js";

/** Options of {@link createCsvMailExportAdapter}. */
export interface CsvMailExportAdapterOptions {
  /**
   * The node's own export folder (folders 0700, files 0600): `<dir>/<requestId>/<part>.csv`.
   * Only the owner's analysts and admins download them, through `outreachMailExport`.
   */
  dir: string;
}

export { MAIL_EXPORT_COLUMNS } from "./mail-export-files.js";

/**
 * Direct mail as an export: each message becomes a row of its request's export, which the owner
 * downloads (`outreachMailExport`) and hands to a printer. Each batch that adds rows writes one
 * new part file (`<dir>/<requestId>/<part>.csv`) through a temporary file, fsync and rename, so
 * after a crash the export holds every row of a batch or none, and a batch costs its own size, not
 * the export's (the whole file used to be read and rewritten per batch). Rows are keyed: a message
 * whose key is already exported is not added again and is DELIVERED, so a batch repeated after a
 * crash (part renamed, outcomes not yet recorded) adds nothing. The keys of a request are read from
 * its parts once per process, then kept; batches of one request are serialised in this process (a
 * node runs as one process), which keeps both the key set and the part numbers consistent.
 */
export function createCsvMailExportAdapter(input: CsvMailExportAdapterOptions): ChannelAdapter<MailMessage> {
  const options = parseAdapterOptions(CsvMailExportAdapterOptionsSchema, input);
  const queues = new Map<string, Promise<unknown>>();
  /** Per request: the keys already exported and the next part's number (read from disk once). */
  const known = new Map<string, { keys: Set<string>; next: number }>();
  let closed = false;

  async function appendBatch(requestId: string, messages: readonly MailMessage[]): Promise<DeliveryOutcome[]> {
    const folder = requestFolder(options.dir, requestId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    let state = known.get(requestId);
    if (!state) {
      const parts = await listParts(folder);
      state = { keys: await exportedKeys(folder, parts), next: nextPartNumber(parts) };
      known.set(requestId, state);
    }
    const { keys } = state;
    const seen = new Set<string>();
    const fresh = messages.filter((message) => !keys.has(message.key) && !seen.has(message.key) && seen.add(message.key));
    if (fresh.length > 0) {
      try {
        await writeAtomically(join(folder, partName(state.next)), fresh.map(toRecord).join(""));
      } catch (error) {
        // The part may or may not have been renamed into place: read the folder again next time.
        known.delete(requestId);
        throw error;
      }
      state.next += 1;
      for (const message of fresh) keys.add(message.key);
    }
    return messages.map(() => ({ status: "DELIVERED" }));
  }

  /** Runs batches of one request one after another. */
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

import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@brandpool/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCsvMailExportAdapter } from "./csv-mail-export.adapter.js";
import { firstFields } from "./export-csv.js";
import { readMailExport } from "./mail-export-files.js";
import type { MailMessage } from "./outbound-message.schema.js";

function letter(key: string, overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    channel: "MAIL",
    key,
    requestId: "req_0001",
    to: { name: "Li Wei", lines: ["1 Nanjing Road", "Flat 2"], postalCode: "200000", city: "Shanghai", region: "Shanghai", country: "CN" },
    text: "Dear Li Wei,\r\nyour code is ABCD-EFGH.",
    ...overrides,
  };
}

const HEADER = '"key","name","address_line_1","address_line_2","address_line_3","address_line_4","postal_code","city","region","country","text"\r\n';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "mail-export-"));
  dir = join(root, "exports");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("createCsvMailExportAdapter", () => {
  it("appends one quoted row per message to the request's file, and rows of a later batch after the first", async () => {
    const adapter = createCsvMailExportAdapter({ dir });
    expect(await adapter.sendBatch([letter("mail-0001-abcdefgh"), letter("mail-0002-abcdefgh", { text: 'Say "hi", twice' })])).toEqual([
      { status: "DELIVERED" },
      { status: "DELIVERED" },
    ]);
    expect(await adapter.send(letter("mail-0003-abcdefgh", { to: { ...letter("").to, name: "=HYPERLINK(\"x\")" } }))).toEqual({ status: "DELIVERED" });
    const exported = await readMailExport(dir, "req_0001", 1 << 20);
    expect(exported).toEqual({ rows: 3, csv: expect.any(String) as string });
    expect((exported as { csv: string }).csv).toBe(
      HEADER +
        '"mail-0001-abcdefgh","Li Wei","1 Nanjing Road","Flat 2","","","200000","Shanghai","Shanghai","CN","Dear Li Wei,\r\nyour code is ABCD-EFGH."\r\n' +
        '"mail-0002-abcdefgh","Li Wei","1 Nanjing Road","Flat 2","","","200000","Shanghai","Shanghai","CN","Say ""hi"", twice"\r\n' +
        // a name a spreadsheet would run as a formula is neutralised
        '"mail-0003-abcdefgh","\'=HYPERLINK(""x"")","1 Nanjing Road","Flat 2","","","200000","Shanghai","Shanghai","CN","Dear Li Wei,\r\nyour code is ABCD-EFGH."\r\n',
    );
    // one part per batch, rows only; no temporary file left behind
    expect(await readdir(join(dir, "req_0001"))).toEqual(["000001.csv", "000002.csv"]);
    expect((await stat(join(dir, "req_0001", "000001.csv"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "req_0001"))).mode & 0o777).toBe(0o700);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it("keeps one folder per request, and adds nothing for a key already exported (a batch repeated after a crash)", async () => {
    const adapter = createCsvMailExportAdapter({ dir });
    await adapter.sendBatch([letter("mail-0011-abcdefgh"), letter("mail-0012-abcdefgh", { requestId: "req_0002" })]);
    expect(await adapter.sendBatch([letter("mail-0011-abcdefgh")])).toEqual([{ status: "DELIVERED" }]);
    expect(await readdir(join(dir, "req_0001"))).toEqual(["000001.csv"]);
    expect(firstFields(await readFile(join(dir, "req_0002", "000001.csv"), "utf8"))).toEqual(["mail-0012-abcdefgh"]);
    expect((await readdir(dir)).sort()).toEqual(["req_0001", "req_0002"]);
  });

  it("after a restart (a new adapter on the same folder) a re-run batch adds only its new keys, in a new part", async () => {
    await createCsvMailExportAdapter({ dir }).sendBatch([letter("mail-0041-abcdefgh"), letter("mail-0042-abcdefgh")]);
    // the process died after the part was renamed, before the outcomes were recorded: the batch
    // runs again, now with one more message
    const restarted = createCsvMailExportAdapter({ dir });
    expect(await restarted.sendBatch([letter("mail-0041-abcdefgh"), letter("mail-0042-abcdefgh"), letter("mail-0043-abcdefgh")])).toEqual([
      { status: "DELIVERED" },
      { status: "DELIVERED" },
      { status: "DELIVERED" },
    ]);
    expect(await readdir(join(dir, "req_0001"))).toEqual(["000001.csv", "000002.csv"]);
    expect(firstFields(await readFile(join(dir, "req_0001", "000002.csv"), "utf8"))).toEqual(["mail-0043-abcdefgh"]);
    const exported = await readMailExport(dir, "req_0001", 1 << 20);
    expect(firstFields((exported as { csv: string }).csv)).toEqual(["key", "mail-0041-abcdefgh", "mail-0042-abcdefgh", "mail-0043-abcdefgh"]);
  });

  it("writes each batch in time of its own size, not of the export's: a part never grows after it is written", async () => {
    const adapter = createCsvMailExportAdapter({ dir });
    const batch = (from: number) => Array.from({ length: 200 }, (_, index) => letter(`mail-${String(from + index).padStart(6, "0")}-bigbatch`));
    await adapter.sendBatch(batch(0));
    const first = await readFile(join(dir, "req_0001", "000001.csv"), "utf8");
    for (let round = 1; round < 10; round++) await adapter.sendBatch(batch(round * 200));
    expect(await readFile(join(dir, "req_0001", "000001.csv"), "utf8")).toBe(first);
    expect(await readdir(join(dir, "req_0001"))).toHaveLength(10);
    expect(await readMailExport(dir, "req_0001", 1 << 24)).toMatchObject({ rows: 2000 });
    // above the reader's cap the export is refused whole, never cut
    expect(await readMailExport(dir, "req_0001", first.length * 3)).toBe("TOO_LARGE");
    expect(await readMailExport(dir, "req_none", 1 << 20)).toEqual({ rows: 0, csv: HEADER });
  });

  it("serialises concurrent batches of one request: every row lands once", async () => {
    const adapter = createCsvMailExportAdapter({ dir });
    const keys = Array.from({ length: 40 }, (_, index) => `mail-${String(index).padStart(4, "0")}-concurrent`);
    await Promise.all(keys.map((key) => adapter.send(letter(key))));
    expect(firstFields((await readMailExport(dir, "req_0001", 1 << 20) as { csv: string }).csv).slice(1).sort()).toEqual(keys);
  });

  it("refuses a request id that would leave the folder, and any invalid message, with BAD_INPUT and writes nothing", async () => {
    const adapter = createCsvMailExportAdapter({ dir });
    for (const input of [
      letter("mail-0021-abcdefgh", { requestId: "../escape" }),
      letter("mail-0022-abcdefgh", { requestId: "" }),
      letter("mail-0023-abcdefgh", { to: { ...letter("").to, lines: [] } }),
      letter("mail-0024-abcdefgh", { to: { ...letter("").to, country: "China" } }),
    ]) {
      const error = await adapter.send(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("BAD_INPUT");
    }
    // one bad message refuses the batch: the good one is not written either
    const batch = await adapter.sendBatch([letter("mail-0025-abcdefgh"), letter("mail-0026-abcdefgh", { requestId: "a/b" })]).catch((caught: unknown) => caught);
    expect((batch as AppError).code).toBe("BAD_INPUT");
    expect(await readdir(root)).toEqual([]);
  });

  it("gives RETRY and leaves the export as it was when the request's part cannot be written", async () => {
    // a file where the request's folder should be: creating the part fails, as a broken disk
    // would; this works even for root, who writes through any mode
    const adapter = createCsvMailExportAdapter({ dir });
    await adapter.send(letter("mail-0031-abcdefgh"));
    await writeFile(join(dir, "req_0002"), "not a folder");
    expect(await adapter.sendBatch([letter("mail-0032-abcdefgh", { requestId: "req_0002" }), letter("mail-0033-abcdefgh")])).toEqual([
      { status: "RETRY", reason: "EXPORT_UNAVAILABLE", retryAfterMs: 0 },
      { status: "DELIVERED" },
    ]);
    expect(await readFile(join(dir, "req_0002"), "utf8")).toBe("not a folder");
    expect(firstFields((await readMailExport(dir, "req_0001", 1 << 20) as { csv: string }).csv)).toEqual(["key", "mail-0031-abcdefgh", "mail-0033-abcdefgh"]);
  });
});

describe("createCsvMailExportAdapter's options", () => {
  it("refuses an empty folder with BAD_INPUT", () => {
    expect(() => createCsvMailExportAdapter({ dir: "" })).toThrow(/options are not valid/);
  });
});

describe("firstFields", () => {
  it("reads the first field of each record, through quoted commas, quotes and line breaks", () => {
    expect(firstFields('"a,1","x\r\ny"\r\n"b""2",z\r\nplain,"q"\r\n')).toEqual(["a,1", 'b"2', "plain"]);
  });
});

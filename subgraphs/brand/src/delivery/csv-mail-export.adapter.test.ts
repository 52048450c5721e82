import { mkdir, mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@brandpool/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCsvMailExportAdapter } from "./csv-mail-export.adapter.js";
import { firstFields } from "./export-csv.js";
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
    const content = await readFile(join(dir, "req_0001.csv"), "utf8");
    expect(content).toBe(
      HEADER +
        '"mail-0001-abcdefgh","Li Wei","1 Nanjing Road","Flat 2","","","200000","Shanghai","Shanghai","CN","Dear Li Wei,\r\nyour code is ABCD-EFGH."\r\n' +
        '"mail-0002-abcdefgh","Li Wei","1 Nanjing Road","Flat 2","","","200000","Shanghai","Shanghai","CN","Say ""hi"", twice"\r\n' +
        // a name a spreadsheet would run as a formula is neutralised
        '"mail-0003-abcdefgh","\'=HYPERLINK(""x"")","1 Nanjing Road","Flat 2","","","200000","Shanghai","Shanghai","CN","Dear Li Wei,\r\nyour code is ABCD-EFGH."\r\n',
    );
    expect((await stat(join(dir, "req_0001.csv"))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // no temporary file left behind
    expect(await readdir(dir)).toEqual(["req_0001.csv"]);
  });

  it("keeps one file per request, and adds nothing for a key already in the file (a batch repeated after a crash)", async () => {
    const adapter = createCsvMailExportAdapter({ dir });
    await adapter.sendBatch([letter("mail-0011-abcdefgh"), letter("mail-0012-abcdefgh", { requestId: "req_0002" })]);
    const before = await readFile(join(dir, "req_0001.csv"), "utf8");
    expect(await adapter.sendBatch([letter("mail-0011-abcdefgh")])).toEqual([{ status: "DELIVERED" }]);
    expect(await readFile(join(dir, "req_0001.csv"), "utf8")).toBe(before);
    expect(firstFields(await readFile(join(dir, "req_0002.csv"), "utf8"))).toEqual(["key", "mail-0012-abcdefgh"]);
    expect((await readdir(dir)).sort()).toEqual(["req_0001.csv", "req_0002.csv"]);
  });

  it("serialises concurrent batches of one request: every row lands once", async () => {
    const adapter = createCsvMailExportAdapter({ dir });
    const keys = Array.from({ length: 40 }, (_, index) => `mail-${String(index).padStart(4, "0")}-concurrent`);
    await Promise.all(keys.map((key) => adapter.send(letter(key))));
    expect(firstFields(await readFile(join(dir, "req_0001.csv"), "utf8")).slice(1).sort()).toEqual(keys);
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

  it("gives RETRY and leaves the file as it was when the request's file cannot be read or replaced", async () => {
    // a folder where the request's file should be: reading it fails, as a broken disk would, and
    // a rename over it would fail too; this works even for root, who writes through any mode
    const adapter = createCsvMailExportAdapter({ dir });
    await adapter.send(letter("mail-0031-abcdefgh"));
    const before = await readFile(join(dir, "req_0001.csv"), "utf8");
    await mkdir(join(dir, "req_0002.csv"));
    expect(await adapter.sendBatch([letter("mail-0032-abcdefgh", { requestId: "req_0002" }), letter("mail-0033-abcdefgh")])).toEqual([
      { status: "RETRY", reason: "EXPORT_UNAVAILABLE", retryAfterMs: 0 },
      { status: "DELIVERED" },
    ]);
    expect(await readdir(join(dir, "req_0002.csv"))).toEqual([]);
    expect(firstFields(await readFile(join(dir, "req_0001.csv"), "utf8"))).toEqual(["key", "mail-0031-abcdefgh", "mail-0033-abcdefgh"]);
    expect(before).not.toContain("mail-0033");
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

import Papa from "papaparse";

/** One row as `appendImportRows` takes it (MemberInput). */
export interface MemberRowInput {
  externalId: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  birthDate: string | null;
  joinDate: string | null;
  consent: { sms: boolean; email: boolean; mail: boolean };
  tags: string[] | null;
}

/** The columns a members file may hold (header row, any order; unknown columns are ignored). */
export const MEMBER_CSV_COLUMNS = [
  "externalId",
  "name",
  "phone",
  "email",
  "address",
  "birthDate",
  "joinDate",
  "consentSms",
  "consentEmail",
  "consentMail",
  "tags",
] as const;

const YES = new Set(["true", "1", "yes", "y", "是"]);
const cell = (record: Record<string, string | undefined>, key: string): string | null => {
  const value = record[key]?.trim();
  return value ? value : null;
};

/**
 * Parses a members CSV (a header row naming the columns above) into import rows. An empty cell
 * is null (the node names a missing required field by its row); consent columns are true for
 * true/1/yes/是; tags are taxonomy keys separated by spaces or semicolons, and an empty tags cell
 * keeps a known member's tags. Rows are numbered from 1 after the header, as the node numbers them.
 */
export function parseMemberCsv(text: string): { rows: MemberRowInput[]; missingColumns: string[] } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim() });
  const fields = parsed.meta.fields ?? [];
  const missingColumns = ["externalId", "name", "joinDate"].filter((column) => !fields.includes(column));
  const rows = parsed.data.map((record) => {
    const tags = cell(record, "tags");
    return {
      externalId: cell(record, "externalId"),
      name: cell(record, "name"),
      phone: cell(record, "phone"),
      email: cell(record, "email"),
      address: cell(record, "address"),
      birthDate: cell(record, "birthDate"),
      joinDate: cell(record, "joinDate"),
      consent: {
        sms: YES.has((cell(record, "consentSms") ?? "").toLowerCase()),
        email: YES.has((cell(record, "consentEmail") ?? "").toLowerCase()),
        mail: YES.has((cell(record, "consentMail") ?? "").toLowerCase()),
      },
      tags: tags === null ? null : tags.split(/[\s;]+/).filter((tag) => tag !== ""),
    };
  });
  return { rows, missingColumns };
}

/**
 * Splits rows into chunks whose JSON stays under `maxBytes` (the gateway's body limit is 100,000
 * bytes; the query and variables' wrapping take the rest) and at most `maxRows` rows.
 */
export function chunkRows<T>(rows: readonly T[], maxBytes = 60_000, maxRows = 1_000): T[][] {
  const encoder = new TextEncoder();
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = encoder.encode(JSON.stringify(row)).length + 1;
    if (current.length > 0 && (bytes + size > maxBytes || current.length >= maxRows)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

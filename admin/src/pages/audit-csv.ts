export interface AuditRow {
  id: string;
  sequence: number;
  action: string;
  actorBrandId: string | null;
  targetBrandId: string | null;
  targetBrandIds: string[];
  objectId: string | null;
  at: string;
}

const cell = (value: string | number | null) => {
  const text = value === null ? "" : String(value);
  // RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The events shown, as CSV (one header row, one row per event). */
export function auditCsv(rows: readonly AuditRow[]): string {
  const header = ["sequence", "at", "action", "actor_brand", "target_brands", "object_id", "event_id"];
  const lines = rows.map((row) =>
    [row.sequence, row.at, row.action, row.actorBrandId, (row.targetBrandIds.length ? row.targetBrandIds : row.targetBrandId ? [row.targetBrandId] : []).join(" "), row.objectId, row.id]
      .map(cell)
      .join(","),
  );
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}

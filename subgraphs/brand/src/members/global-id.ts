import { AppError } from "@brandpool/errors";

/** Relay global ids: base64url of `Member:<brandId>:<uuid>`, so ids are unique across brands. */
export function toMemberGlobalId(brandId: string, memberId: string): string {
  return Buffer.from(`Member:${brandId}:${memberId}`, "utf8").toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The member uuid of a global id of this brand, or null for anything else. */
export function fromMemberGlobalId(brandId: string, globalId: string): string | null {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const [type, brand, id] = decoded.split(":");
  return type === "Member" && brand === brandId && id && UUID.test(id) ? id : null;
}

/**
 * The member uuids of global ids of this brand. Bad ones are named by their position only: the
 * error never quotes an id back (it may be another brand's member id).
 */
export function fromMemberGlobalIds(brandId: string, globalIds: readonly string[]): string[] {
  const ids = globalIds.map((globalId) => fromMemberGlobalId(brandId, globalId));
  const bad = ids.flatMap((id, index) => (id === null ? [index + 1] : []));
  if (bad.length > 0) {
    throw new AppError("BAD_INPUT", `${bad.length} of the ids are not ids of members of this brand.`, {
      field: "ids",
      positions: bad.slice(0, 100),
    });
  }
  return ids as string[];
}

/** Cursors are opaque: base64url of the member position. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`c:${seq}`, "utf8").toString("base64url");
}

/** Largest member position: `seq` is a Postgres integer, and a larger bound fails the query. */
const MAX_SEQ = 2_147_483_647;

export function decodeCursor(cursor: string): number {
  const match = /^c:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const seq = match?.[1] ? Number(match[1]) : Number.NaN;
  if (!(seq <= MAX_SEQ)) throw new AppError("BAD_INPUT", "The cursor `after` is not valid.", { field: "after" });
  return seq;
}

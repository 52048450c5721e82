import { AppError } from "@brandpool/errors";

/** Relay global ids: base64url of `Member:<brandId>:<uuid>`, so ids are unique across brands. */
export function toMemberGlobalId(brandId: string, memberId: string): string {
  return Buffer.from(`Member:${brandId}:${memberId}`, "utf8").toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The member uuid of a global id of this brand; anything else is BAD_INPUT. */
export function fromMemberGlobalId(brandId: string, globalId: string): string {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const [type, brand, id] = decoded.split(":");
  if (type !== "Member" || brand !== brandId || !id || !UUID.test(id)) {
    throw new AppError("BAD_INPUT", "Not the id of a member of this brand.", { id: globalId });
  }
  return id;
}

/** Cursors are opaque: base64url of the member position. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`c:${seq}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const match = /^c:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1]) throw new AppError("BAD_INPUT", "The cursor `after` is not valid.");
  return Number(match[1]);
}

import { AppError } from "@brandpool/errors";
import type { ListPosition } from "./outreach-request.repository.js";

/** Opaque cursors: base64url of the request's creation time (to the microsecond) and id. */
export function encodeOutreachCursor(position: ListPosition): string {
  return Buffer.from(`r:${position.createdAt}|${position.id}`, "utf8").toString("base64url");
}

const CURSOR = /^r:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function decodeOutreachCursor(cursor: string): ListPosition {
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new AppError("BAD_INPUT", "after is not a cursor of this list.", { field: "after" });
  return { createdAt: match[1] as string, id: match[2] as string };
}

/**
 * Why the coordinator refuses one pushed event. Stable codes: a node stores them with the event
 * it sets aside and shows them to its admin. Every refusal is about the event itself, so pushing
 * it again is refused again; whatever else goes wrong (a database error, the coordinator going
 * down) fails the whole push, which the node repeats later.
 */
export const NODE_EVENT_REFUSALS = ["BAD_ID", "BAD_TYPE", "BAD_PAYLOAD", "PAYLOAD_TOO_LARGE", "OTHER_BRAND", "NOT_A_TARGET", "STALE_STATUS"] as const;

export type NodeEventRefusalReason = (typeof NODE_EVENT_REFUSALS)[number];

export interface NodeEventRefusal {
  reason: NodeEventRefusalReason;
  message: string;
}

export const MAX_PAYLOAD_BYTES = 8_192;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[a-z]+(\.[a-z_]+)+$/;

/** The refusal of one event pushed by the node of `brandId`, or null when it may be recorded. */
export function refusalOf(event: { id: string; type: string; payload: Record<string, unknown> }, brandId: string): NodeEventRefusal | null {
  if (!UUID.test(event.id)) return { reason: "BAD_ID", message: "The event id is not a UUID." };
  if (!EVENT_TYPE.test(event.type)) return { reason: "BAD_TYPE", message: "The event type must look like estimate.answered." };
  const json = JSON.stringify(event.payload);
  if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    return { reason: "PAYLOAD_TOO_LARGE", message: `The event payload is over ${MAX_PAYLOAD_BYTES} bytes.` };
  }
  // Postgres jsonb holds no NUL character: such a payload could never be written.
  if (holdsNul(event.payload)) return { reason: "BAD_PAYLOAD", message: "The event payload holds a NUL character." };
  if ("owner" in event.payload && event.payload.owner !== brandId) {
    return { reason: "OTHER_BRAND", message: "A node records events only about its own brand." };
  }
  return null;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === "object") return Object.entries(value).some(([key, item]) => key.includes("\u0000") || holdsNul(item));
  return false;
}

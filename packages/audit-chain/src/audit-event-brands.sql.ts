/**
 * Which brands an event concerns, read from the event itself, the same way in every log. The
 * actor side is the brand that acted (`actor.brand`; for an event a node pushed, the principal it
 * names in `payload.actor`; the requester of an outreach request); the target side is the brand
 * acted on (`subject.brand`, `payload.target`, `payload.owner`, any of `payload.targets`). `e` is
 * the audit table's alias.
 */
export const ACTOR_BRAND_SQL = `COALESCE(e.payload #>> '{actor,brand}', e.actor ->> 'brand', e.payload ->> 'requester')`;

export const TARGET_BRAND_SQL = `COALESCE(e.subject ->> 'brand', e.payload ->> 'target', e.payload ->> 'owner',
  CASE WHEN jsonb_typeof(e.payload -> 'targets') = 'array' AND jsonb_array_length(e.payload -> 'targets') = 1
       THEN e.payload -> 'targets' ->> 0 END)`;

export const TARGET_BRANDS_SQL = `CASE WHEN jsonb_typeof(e.payload -> 'targets') = 'array'
  THEN ARRAY(SELECT jsonb_array_elements_text(e.payload -> 'targets')) ELSE ARRAY[]::text[] END`;

/** True when the brand in parameter `$n` is on the event's actor side. */
export function actorSideSql(param: string): string {
  return `(e.actor ->> 'brand' = ${param} OR e.payload #>> '{actor,brand}' = ${param} OR e.payload ->> 'requester' = ${param})`;
}

/** True when the event concerns the brand in parameter `$n`, on either side. */
export function involvesBrandSql(param: string): string {
  return `(e.actor ->> 'brand' = ${param} OR e.payload #>> '{actor,brand}' = ${param} OR e.payload ->> 'requester' = ${param}
    OR e.subject ->> 'brand' = ${param} OR e.payload ->> 'target' = ${param} OR e.payload ->> 'owner' = ${param}
    OR (jsonb_typeof(e.payload -> 'targets') = 'array' AND e.payload -> 'targets' ? ${param}))`;
}

/** The object an event is about: an outreach request, a question, a tag... (null for a brand). */
export const OBJECT_ID_SQL = `COALESCE(e.payload ->> 'requestId', CASE WHEN e.subject ->> 'kind' <> 'brand' THEN COALESCE(e.subject ->> 'id', e.subject ->> 'key') END, e.payload ->> 'question')`;

-- Custom SQL migration file, put your code below! --
-- hand-written below
-- A node's signed chain heads live in the platform log itself (audit.head_recorded events); this
-- index finds one brand's heads by sequence without reading the whole log.
CREATE INDEX audit_events_heads_by_brand ON audit_events ((subject ->> 'brand'), ((payload ->> 'seq')::bigint)) WHERE type = 'audit.head_recorded';

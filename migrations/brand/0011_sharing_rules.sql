CREATE TABLE "outreach_minimum" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"minimum" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_minimum_singleton" CHECK ("outreach_minimum"."id" = 1),
	CONSTRAINT "outreach_minimum_at_least_100" CHECK ("outreach_minimum"."minimum" >= 100)
);
--> statement-breakpoint
CREATE TABLE "sharing_rules" (
	"version" integer PRIMARY KEY NOT NULL,
	"policies" text NOT NULL,
	"hash" text NOT NULL,
	"validated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"saved_by" text NOT NULL,
	CONSTRAINT "sharing_rules_version_positive" CHECK ("sharing_rules"."version" > 0)
);
--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD COLUMN "decided_kind" text;--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD COLUMN "release_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
-- hand-written below
-- Each saved version of the rules stays as it was: a change is a new row.
CREATE FUNCTION sharing_rules_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sharing_rules rows are never changed: save a new version';
END
$$;
--> statement-breakpoint
CREATE TRIGGER sharing_rules_no_update BEFORE UPDATE OR DELETE ON "sharing_rules" FOR EACH ROW EXECUTE FUNCTION sharing_rules_immutable();
--> statement-breakpoint
UPDATE "incoming_requests" SET "decided_kind" = 'APPROVER' WHERE "decided_by" IS NOT NULL AND "decided_by" NOT LIKE 'rule:%';
--> statement-breakpoint
UPDATE "incoming_requests" SET "decided_kind" = 'EXPIRY' WHERE "status" = 'EXPIRED';
--> statement-breakpoint
CREATE INDEX "incoming_requests_release_due" ON "incoming_requests" ("release_at") WHERE "released_at" IS NULL AND "release_at" IS NOT NULL;

CREATE TABLE "member_changes" (
	"seq" integer NOT NULL,
	"xid" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_changes_horizon" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"below" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "member_changes_horizon_one_row" CHECK ("member_changes_horizon"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "member_changes_xid" ON "member_changes" USING btree ("xid");--> statement-breakpoint
-- hand-written below
-- The audience index (subgraphs/brand/src/audience-index/) keeps bitmaps of members' tags and
-- consents in the node's memory and catches up from this log. Statement-level triggers with
-- transition tables: one INSERT ... SELECT per statement, so an import of 5,000 rows writes its
-- 5,000 change rows in one go. An update logs only members whose tags or consents it changed
-- (an import re-sending the same rows, a name change, updated_at: nothing); a seq on either side
-- is logged, so even a changed seq is seen. TRUNCATE logs every member before they go.
INSERT INTO "member_changes_horizon" ("id", "below") VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION member_changes_log_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_changes (seq) SELECT seq FROM new_rows;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION member_changes_log_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_changes (seq) SELECT seq FROM old_rows;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION member_changes_log_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_changes (seq)
  SELECT seq FROM (
    (SELECT seq, tag_ids, consent_sms, consent_email, consent_mail FROM new_rows
     EXCEPT SELECT seq, tag_ids, consent_sms, consent_email, consent_mail FROM old_rows)
    UNION
    (SELECT seq, tag_ids, consent_sms, consent_email, consent_mail FROM old_rows
     EXCEPT SELECT seq, tag_ids, consent_sms, consent_email, consent_mail FROM new_rows)
  ) AS changed
  GROUP BY seq;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION member_changes_log_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_changes (seq) SELECT seq FROM members;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER member_changes_inserted AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_changes_log_inserted();
--> statement-breakpoint
CREATE TRIGGER member_changes_deleted AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_changes_log_deleted();
--> statement-breakpoint
CREATE TRIGGER member_changes_updated AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_changes_log_updated();
--> statement-breakpoint
CREATE TRIGGER member_changes_truncated BEFORE TRUNCATE ON members
  FOR EACH STATEMENT EXECUTE FUNCTION member_changes_log_truncated();

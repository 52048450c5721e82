-- The audience index (subgraphs/brand/src/audience-index/) LISTENs on this channel: a statement
-- that logs member changes also notifies it, once per transaction (Postgres folds identical
-- notifications of one transaction into one), delivered when the transaction commits. A count
-- for another brand then reads member_changes only when something was notified since the last
-- catch-up; the owner's own counts always catch up.
CREATE FUNCTION member_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('member_changes', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER member_changes_notify AFTER INSERT ON member_changes
  FOR EACH STATEMENT EXECUTE FUNCTION member_changes_notify();

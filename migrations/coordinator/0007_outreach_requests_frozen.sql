-- A request never changes once created: its content hash is what owners approve. Only its
-- targets' statuses move (outreach_targets).
CREATE FUNCTION "outreach_requests_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on outreach_requests is refused: a request never changes', TG_OP USING ERRCODE = 'raise_exception';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER refuse_change BEFORE UPDATE OR DELETE ON "outreach_requests"
  FOR EACH ROW EXECUTE FUNCTION "outreach_requests_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON "outreach_requests"
  FOR EACH STATEMENT EXECUTE FUNCTION "outreach_requests_refuse_change"();

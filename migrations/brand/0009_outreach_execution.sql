CREATE TABLE "opt_outs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "opt_outs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_seq" integer NOT NULL,
	"channel" text NOT NULL,
	"source" text NOT NULL,
	"request_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outreach_recipients" ADD COLUMN "in_flight" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_recipients" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "opt_outs_member" ON "opt_outs" USING btree ("member_seq");--> statement-breakpoint
CREATE INDEX "members_phone" ON "members" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "outreach_recipients_queued" ON "outreach_recipients" USING btree ("request_id","batch") WHERE status = 'QUEUED';--> statement-breakpoint
-- hand-written below
-- A new coupon code in SQL, so that one INSERT ... SELECT issues a million of them: 13 Crockford
-- base32 characters as @brandpool/outreach-message's newCouponCode writes them, 65 random bits.
-- The bits come from gen_random_uuid (a CSPRNG in core PostgreSQL; pgcrypto is not needed):
-- bytes 10-16 and 1-3 of a version-4 UUID are wholly random (the version and variant bits are in
-- bytes 7 and 9), base64 turns those 80 bits into characters of 6 bits each, and translate maps
-- each to the alphabet by its low 5 bits (value mod 32, uniform when the 6 bits are): 13 x 5.
CREATE FUNCTION outreach_coupon_code() RETURNS text LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT substr(translate(encode(substr(b, 10, 7) || substr(b, 1, 3), 'base64'),
                          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
                          '0123456789ABCDEFGHJKMNPQRSTVWXYZ0123456789ABCDEFGHJKMNPQRSTVWXYZ'), 1, 13)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) AS random_uuid
$$;

CREATE TABLE "delivery_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "delivery_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" uuid NOT NULL,
	"member_seq" integer NOT NULL,
	"attempt" integer NOT NULL,
	"outcome" text NOT NULL,
	"detail" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach_recipients" (
	"request_id" uuid NOT NULL,
	"member_seq" integer NOT NULL,
	"batch" integer NOT NULL,
	"coupon_code" text NOT NULL,
	"message_key" uuid DEFAULT gen_random_uuid() NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"selected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	CONSTRAINT "outreach_recipients_request_id_member_seq_pk" PRIMARY KEY("request_id","member_seq"),
	CONSTRAINT "outreach_recipients_coupon_code_unique" UNIQUE("coupon_code"),
	CONSTRAINT "outreach_recipients_message_key_unique" UNIQUE("message_key")
);
--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD COLUMN "approved_cap" integer;--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD COLUMN "decline_reason" text;--> statement-breakpoint
CREATE INDEX "delivery_attempts_recipient" ON "delivery_attempts" USING btree ("request_id","member_seq");--> statement-breakpoint
CREATE INDEX "outreach_recipients_batch" ON "outreach_recipients" USING btree ("request_id","batch");--> statement-breakpoint
CREATE INDEX "outreach_recipients_member" ON "outreach_recipients" USING btree ("member_seq","selected_at");--> statement-breakpoint
ALTER TABLE "incoming_requests" ADD CONSTRAINT "incoming_requests_approved_cap_within" CHECK ("incoming_requests"."approved_cap" IS NULL OR ("incoming_requests"."approved_cap" > 0 AND "incoming_requests"."approved_cap" <= "incoming_requests"."max_recipients"));
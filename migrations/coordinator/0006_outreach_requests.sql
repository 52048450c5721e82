CREATE TABLE "outreach_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requester_brand" text NOT NULL,
	"created_by" text NOT NULL,
	"expression" text NOT NULL,
	"channel" text NOT NULL,
	"subject" text,
	"message" text NOT NULL,
	"purpose" text NOT NULL,
	"max_recipients_per_brand" integer NOT NULL,
	"send_after" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach_targets" (
	"request_id" uuid NOT NULL,
	"brand_id" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"status_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_targets_request_id_brand_id_pk" PRIMARY KEY("request_id","brand_id")
);
--> statement-breakpoint
ALTER TABLE "outreach_targets" ADD CONSTRAINT "outreach_targets_request_id_outreach_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."outreach_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outreach_requests_requester" ON "outreach_requests" USING btree ("requester_brand","created_at");--> statement-breakpoint
CREATE INDEX "outreach_targets_brand" ON "outreach_targets" USING btree ("brand_id","created_at");
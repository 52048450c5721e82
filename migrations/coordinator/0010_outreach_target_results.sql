CREATE TABLE "outreach_target_results" (
	"request_id" uuid NOT NULL,
	"brand_id" text NOT NULL,
	"release_number" integer NOT NULL,
	"contacted" integer,
	"delivered" integer,
	"failed" integer,
	"redeemed" integer,
	"threshold" integer NOT NULL,
	"margin95" integer NOT NULL,
	"commitment" text NOT NULL,
	"released_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_target_results_request_id_brand_id_pk" PRIMARY KEY("request_id","brand_id")
);
--> statement-breakpoint
ALTER TABLE "outreach_target_results" ADD CONSTRAINT "outreach_target_results_request_id_outreach_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."outreach_requests"("id") ON DELETE no action ON UPDATE no action;
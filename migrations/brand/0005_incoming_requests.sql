CREATE TABLE "incoming_requests" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"requester_brand" text NOT NULL,
	"expression" text NOT NULL,
	"channel" text NOT NULL,
	"subject" text,
	"message" text NOT NULL,
	"purpose" text NOT NULL,
	"max_recipients" integer NOT NULL,
	"send_after" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"targets" text[] NOT NULL,
	"content_hash" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incoming_requests_version_positive" CHECK ("incoming_requests"."version" > 0)
);

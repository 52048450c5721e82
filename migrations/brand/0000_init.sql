CREATE TABLE "members" (
	"seq" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "members_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"email" text,
	"address" text,
	"birth_date" date,
	"join_date" date NOT NULL,
	"consent_sms" boolean DEFAULT false NOT NULL,
	"consent_email" boolean DEFAULT false NOT NULL,
	"consent_mail" boolean DEFAULT false NOT NULL,
	"tag_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_id_unique" UNIQUE("id"),
	CONSTRAINT "members_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "coordinator_outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pushed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "privacy_answers" (
	"question_key" text NOT NULL,
	"period" text NOT NULL,
	"epsilon" numeric NOT NULL,
	"exact_count" bigint NOT NULL,
	"noisy_count" bigint NOT NULL,
	"threshold" integer NOT NULL,
	"margin95" integer NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_answers_question_key_period_pk" PRIMARY KEY("question_key","period")
);
--> statement-breakpoint
CREATE TABLE "privacy_spend" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requester_brand" text NOT NULL,
	"period" text NOT NULL,
	"question_key" text NOT NULL,
	"epsilon" numeric NOT NULL,
	"spent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tag_dictionary" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tag_dictionary_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"sensitive" boolean DEFAULT false NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tag_dictionary_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE INDEX "members_tag_ids_gin" ON "members" USING gin ("tag_ids");--> statement-breakpoint
CREATE INDEX "coordinator_outbox_pending" ON "coordinator_outbox" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "privacy_spend_requester_period" ON "privacy_spend" USING btree ("requester_brand","period");
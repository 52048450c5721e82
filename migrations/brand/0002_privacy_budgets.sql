CREATE TABLE "privacy_pool_cap" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"epsilon_total" numeric NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_pool_cap_singleton" CHECK ("privacy_pool_cap"."id" = 1),
	CONSTRAINT "privacy_pool_cap_total_nonnegative" CHECK ("privacy_pool_cap"."epsilon_total" >= 0)
);
--> statement-breakpoint
CREATE TABLE "privacy_pool_usage" (
	"period" text PRIMARY KEY NOT NULL,
	"epsilon_spent" numeric DEFAULT '0' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "privacy_quota_usage" (
	"requester_brand" text NOT NULL,
	"period" text NOT NULL,
	"epsilon_spent" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "privacy_quota_usage_requester_brand_period_pk" PRIMARY KEY("requester_brand","period")
);
--> statement-breakpoint
CREATE TABLE "privacy_quotas" (
	"requester_brand" text PRIMARY KEY NOT NULL,
	"epsilon_total" numeric NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_quotas_total_nonnegative" CHECK ("privacy_quotas"."epsilon_total" >= 0)
);
--> statement-breakpoint
DROP INDEX "privacy_spend_requester_period";--> statement-breakpoint
ALTER TABLE "tag_dictionary" ADD COLUMN "cardinality" text DEFAULT 'MANY' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "privacy_spend_requester_question" ON "privacy_spend" USING btree ("requester_brand","period","question_key");--> statement-breakpoint
-- Spends recorded before budgets existed count against this period's budgets: each receipt against
-- its requester's quota, each stored answer against the owner's pool-wide cap.
INSERT INTO "privacy_quota_usage" ("requester_brand", "period", "epsilon_spent")
SELECT "requester_brand", "period", sum("epsilon") FROM "privacy_spend" GROUP BY "requester_brand", "period";--> statement-breakpoint
INSERT INTO "privacy_pool_usage" ("period", "epsilon_spent")
SELECT "period", sum("epsilon") FROM "privacy_answers" GROUP BY "period";

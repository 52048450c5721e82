-- drizzle-kit 0.31 cannot name the primary key it replaces (it leaves the DROP commented out);
-- the one of 0000_init.sql is Postgres's default name for an inline PRIMARY KEY.
ALTER TABLE "node_event_receipts" DROP CONSTRAINT "node_event_receipts_pkey";--> statement-breakpoint
ALTER TABLE "node_event_receipts" ADD CONSTRAINT "node_event_receipts_brand_id_id_pk" PRIMARY KEY("brand_id","id");

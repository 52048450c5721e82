CREATE TABLE "checked_dimensions" (
	"dimension" text PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);

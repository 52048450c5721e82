CREATE TABLE "taxonomy_dimensions" (
	"dimension" text PRIMARY KEY NOT NULL,
	"cardinality" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);

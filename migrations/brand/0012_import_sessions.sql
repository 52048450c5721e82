CREATE TABLE "import_session_rows" (
	"import_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"external_id" text NOT NULL,
	"value" jsonb NOT NULL,
	CONSTRAINT "import_session_rows_import_id_row_pk" PRIMARY KEY("import_id","row"),
	CONSTRAINT "import_session_rows_external_id" UNIQUE("import_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "import_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"owner" text NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone,
	CONSTRAINT "import_sessions_kind" CHECK ("import_sessions"."kind" IN ('MEMBERS')),
	CONSTRAINT "import_sessions_status" CHECK ("import_sessions"."status" IN ('OPEN', 'COMMITTED'))
);
--> statement-breakpoint
ALTER TABLE "import_session_rows" ADD CONSTRAINT "import_session_rows_import_id_import_sessions_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."import_sessions"("id") ON DELETE cascade ON UPDATE no action;
DROP INDEX "outreach_recipients_batch";--> statement-breakpoint
-- hand-written below
-- Room in each page for new row versions: a recipient's row is updated at each attempt (in
-- flight, then its outcome) and an attempt's row once (its outcome); with room on its page an
-- update that changes no indexed column is HOT and writes no index entry. Applies to pages
-- written from now on.
ALTER TABLE "outreach_recipients" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "delivery_attempts" SET (fillfactor = 80);

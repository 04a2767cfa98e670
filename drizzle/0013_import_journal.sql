CREATE TABLE `import_journal_ranges` (
	`journal_id` integer NOT NULL,
	`tbl` text NOT NULL,
	`lo` integer NOT NULL,
	`hi` integer,
	PRIMARY KEY(`journal_id`, `tbl`)
);
--> statement-breakpoint
CREATE TABLE `import_journal_rows` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`journal_id` integer NOT NULL,
	`tbl` text NOT NULL,
	`op` text NOT NULL,
	`rid` integer NOT NULL,
	`old` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `import_journal_rows_journal_idx` ON `import_journal_rows` (`journal_id`,`tbl`,`rid`);--> statement-breakpoint
CREATE INDEX `import_journal_rows_row_idx` ON `import_journal_rows` (`tbl`,`rid`);--> statement-breakpoint
CREATE TABLE `import_journals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`finished` integer DEFAULT 0 NOT NULL,
	`batches` text DEFAULT '[]' NOT NULL,
	`withdrawn_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_journals_key_uq` ON `import_journals` (`key`);--> statement-breakpoint
ALTER TABLE `imports` ADD `journal_id` integer;--> statement-breakpoint
ALTER TABLE `imports` ADD `withdrawn_at` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `withdrawn_by` text;
-- A withdrawn import deletes the prices it added (src/services/import-withdrawal.ts); the change feed
-- lists each as a tombstone (change "withdrawn") from here, so a nightly sync learns it is gone. `last`
-- is the price as the feed showed it (JSON of src/services/price-view.ts's columns) when it was withdrawn.
CREATE TABLE `price_tombstones` (
	`price_id` integer PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`product_id` integer NOT NULL,
	`import_id` integer NOT NULL,
	`withdrawn_at` text NOT NULL,
	`last` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `price_tombstones_withdrawn_idx` ON `price_tombstones` (`withdrawn_at`, `price_id`);

-- Tombstones of every row the change feeds list that a withdrawal deletes (src/services/import-withdrawal.ts):
-- prices as in 0015, and now the products and batches a withdrawn import had added, in one table keyed
-- by the table and the row's id (text: batches have text ids). `last` is the row as its feed showed it;
-- `search` (prices) is the price's search row (price_search) with its batch's level and its
-- synthetic flag, so a filtered feed lists only the tombstones its search would have matched. Tombstones
-- moved from 0015 have none, and are listed by every search, as before.
CREATE TABLE `tombstones` (
	`tbl` text NOT NULL,
	`row_id` text NOT NULL,
	`import_id` integer NOT NULL,
	`withdrawn_at` text NOT NULL,
	`last` text NOT NULL,
	`search` text,
	PRIMARY KEY(`tbl`, `row_id`)
);
--> statement-breakpoint
CREATE INDEX `tombstones_withdrawn_idx` ON `tombstones` (`tbl`, `withdrawn_at`, `row_id`);
--> statement-breakpoint
INSERT INTO `tombstones` (`tbl`, `row_id`, `import_id`, `withdrawn_at`, `last`, `search`)
	SELECT 'prices', CAST(`price_id` AS TEXT), `import_id`, `withdrawn_at`, `last`, NULL FROM `price_tombstones`;
--> statement-breakpoint
DROP TABLE `price_tombstones`;

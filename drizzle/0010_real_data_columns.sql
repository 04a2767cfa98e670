CREATE TABLE `bids` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` text NOT NULL,
	`natural_key` text NOT NULL,
	`category` text NOT NULL,
	`generic_name` text NOT NULL,
	`dosage_form` text,
	`spec` text,
	`package_qty` integer,
	`package_unit` text,
	`smallest_unit` text,
	`manufacturer` text,
	`manufacturer_short` text,
	`originator` integer,
	`foreign_firm` integer,
	`bid_price_e4` integer,
	`bid_unit_price_e4` integer,
	`ceiling_price_e4` integer,
	`pre_vbp_price_e4` integer,
	`source` text,
	`synthetic` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bids_batch_product_uq` ON `bids` (`batch_id`,`natural_key`);--> statement-breakpoint
CREATE INDEX `bids_natural_key_idx` ON `bids` (`natural_key`);--> statement-breakpoint
ALTER TABLE `prices` ADD `ceiling_price_e4` integer;--> statement-breakpoint
ALTER TABLE `prices` ADD `ceiling_unit_price_e4` integer;--> statement-breakpoint
ALTER TABLE `prices` ADD `ceiling_discount_bp` integer;--> statement-breakpoint
ALTER TABLE `prices` ADD `pre_vbp_price_e4` integer;--> statement-breakpoint
ALTER TABLE `prices` ADD `pre_vbp_unit_price_e4` integer;--> statement-breakpoint
ALTER TABLE `prices` ADD `pre_vbp_discount_bp` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `brand_names` text;--> statement-breakpoint
ALTER TABLE `products` ADD `originator` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `manufacturer_short` text;--> statement-breakpoint
ALTER TABLE `products` ADD `foreign_firm` integer;
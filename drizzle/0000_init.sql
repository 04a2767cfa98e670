CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `batch_stats` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`stats` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `batches` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`category` text NOT NULL,
	`organizer` text,
	`announced` text,
	`cycle_start` text,
	`cycle_end` text,
	`region_scope` text,
	`published_items` integer,
	`published_products` integer,
	`published_firms` integer,
	`published_avg_discount_bp` integer,
	`published_max_discount_bp` integer,
	`published_savings` text,
	`source` text,
	`synthetic` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `batches_announced_idx` ON `batches` (`announced`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`file_name` text,
	`sha256` text NOT NULL,
	`encoding` text,
	`dry_run` integer NOT NULL,
	`status` text NOT NULL,
	`rows_total` integer DEFAULT 0 NOT NULL,
	`rows_imported` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`actor` text,
	`started_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `imports_started_idx` ON `imports` (`started_at`);--> statement-breakpoint
CREATE TABLE `price_regions` (
	`price_id` integer NOT NULL,
	`region_code` text NOT NULL,
	PRIMARY KEY(`price_id`, `region_code`),
	FOREIGN KEY (`price_id`) REFERENCES `prices`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`region_code`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `price_regions_region_idx` ON `price_regions` (`region_code`,`price_id`);--> statement-breakpoint
CREATE TABLE `prices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` text NOT NULL,
	`product_id` integer NOT NULL,
	`chosen_price_e4` integer NOT NULL,
	`reference_price_e4` integer,
	`reference_kind` text,
	`unit_price_e4` integer NOT NULL,
	`discount_bp` integer,
	`supply_regions` text DEFAULT '' NOT NULL,
	`agreed_volume` integer,
	`cycle_start` text,
	`cycle_end` text,
	`status` text DEFAULT 'active' NOT NULL,
	`source` text,
	`synthetic` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prices_batch_product_uq` ON `prices` (`batch_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `prices_product_idx` ON `prices` (`product_id`);--> statement-breakpoint
CREATE INDEX `prices_discount_idx` ON `prices` (`discount_bp`,`id`);--> statement-breakpoint
CREATE INDEX `prices_unit_price_idx` ON `prices` (`unit_price_e4`,`id`);--> statement-breakpoint
CREATE INDEX `prices_batch_discount_idx` ON `prices` (`batch_id`,`discount_bp`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`natural_key` text NOT NULL,
	`category` text NOT NULL,
	`generic_name` text NOT NULL,
	`generic_name_en` text,
	`dosage_form` text,
	`spec` text,
	`package_text` text,
	`package_qty` integer,
	`package_unit` text,
	`smallest_unit` text,
	`manufacturer` text,
	`nhsa_code` text,
	`approval_no` text,
	`name_norm` text DEFAULT '' NOT NULL,
	`name_pinyin` text DEFAULT '' NOT NULL,
	`name_initials` text DEFAULT '' NOT NULL,
	`synthetic` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_natural_key_uq` ON `products` (`natural_key`);--> statement-breakpoint
CREATE INDEX `products_name_norm_idx` ON `products` (`name_norm`);--> statement-breakpoint
CREATE INDEX `products_initials_idx` ON `products` (`name_initials`);--> statement-breakpoint
CREATE INDEX `products_nhsa_idx` ON `products` (`nhsa_code`);--> statement-breakpoint
CREATE INDEX `products_approval_idx` ON `products` (`approval_no`);--> statement-breakpoint
CREATE INDEX `products_equivalence_idx` ON `products` (`generic_name`,`dosage_form`,`spec`);--> statement-breakpoint
CREATE TABLE `regions` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent_code` text,
	`level` text NOT NULL,
	`fund_share_bp` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `regions_parent_idx` ON `regions` (`parent_code`);--> statement-breakpoint
CREATE INDEX `regions_name_idx` ON `regions` (`name`);--> statement-breakpoint
CREATE TABLE `volumes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`price_id` integer NOT NULL,
	`region_code` text NOT NULL,
	`month` text NOT NULL,
	`units` integer NOT NULL,
	`amount_paid_e4` integer,
	`fund_share_bp` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`price_id`) REFERENCES `prices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`region_code`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volumes_price_region_month_uq` ON `volumes` (`price_id`,`region_code`,`month`);--> statement-breakpoint
CREATE INDEX `volumes_region_month_idx` ON `volumes` (`region_code`,`month`);
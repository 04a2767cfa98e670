CREATE TABLE `purchase_rollup_price_region` (
	`price_id` integer NOT NULL,
	`region_code` text NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`volume_rows` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`price_id`, `region_code`)
);
--> statement-breakpoint
CREATE TABLE `savings_rollup_batch_month` (
	`batch_id` text NOT NULL,
	`month` text NOT NULL,
	`divisor` integer NOT NULL,
	`parts` integer DEFAULT 0 NOT NULL,
	`volume_rows` integer DEFAULT 0 NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`amount_paid_e4` integer DEFAULT 0 NOT NULL,
	`spend_num` integer DEFAULT 0 NOT NULL,
	`fund_hi` integer DEFAULT 0 NOT NULL,
	`fund_lo` integer DEFAULT 0 NOT NULL,
	`unshared_num` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`batch_id`, `month`, `divisor`)
);
--> statement-breakpoint
CREATE TABLE `savings_rollup_batch_region_month` (
	`batch_id` text NOT NULL,
	`region_code` text NOT NULL,
	`month` text NOT NULL,
	`divisor` integer NOT NULL,
	`parts` integer DEFAULT 0 NOT NULL,
	`volume_rows` integer DEFAULT 0 NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`amount_paid_e4` integer DEFAULT 0 NOT NULL,
	`spend_num` integer DEFAULT 0 NOT NULL,
	`fund_hi` integer DEFAULT 0 NOT NULL,
	`fund_lo` integer DEFAULT 0 NOT NULL,
	`unshared_num` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`batch_id`, `region_code`, `month`, `divisor`)
);
--> statement-breakpoint
CREATE INDEX `savings_rollup_brm_region_idx` ON `savings_rollup_batch_region_month` (`region_code`,`month`);--> statement-breakpoint
CREATE TABLE `savings_rollup_region_month` (
	`region_code` text NOT NULL,
	`month` text NOT NULL,
	`divisor` integer NOT NULL,
	`parts` integer DEFAULT 0 NOT NULL,
	`volume_rows` integer DEFAULT 0 NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`amount_paid_e4` integer DEFAULT 0 NOT NULL,
	`spend_num` integer DEFAULT 0 NOT NULL,
	`fund_hi` integer DEFAULT 0 NOT NULL,
	`fund_lo` integer DEFAULT 0 NOT NULL,
	`unshared_num` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`region_code`, `month`, `divisor`)
);

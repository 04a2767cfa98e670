CREATE TABLE `savings_rollup_batch` (
	`batch_id` text NOT NULL,
	`divisor` integer NOT NULL,
	`parts` integer DEFAULT 0 NOT NULL,
	`volume_rows` integer DEFAULT 0 NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`amount_paid_e4` integer DEFAULT 0 NOT NULL,
	`spend_num` integer DEFAULT 0 NOT NULL,
	`fund_hi` integer DEFAULT 0 NOT NULL,
	`fund_lo` integer DEFAULT 0 NOT NULL,
	`unshared_num` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`batch_id`, `divisor`)
);
--> statement-breakpoint
CREATE TABLE `savings_rollup_batch_region` (
	`region_code` text NOT NULL,
	`batch_id` text NOT NULL,
	`divisor` integer NOT NULL,
	`parts` integer DEFAULT 0 NOT NULL,
	`volume_rows` integer DEFAULT 0 NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`amount_paid_e4` integer DEFAULT 0 NOT NULL,
	`spend_num` integer DEFAULT 0 NOT NULL,
	`fund_hi` integer DEFAULT 0 NOT NULL,
	`fund_lo` integer DEFAULT 0 NOT NULL,
	`unshared_num` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`region_code`, `batch_id`, `divisor`)
);
--> statement-breakpoint
CREATE TABLE `savings_rollup_month` (
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
	PRIMARY KEY(`month`, `divisor`)
);
--> statement-breakpoint
CREATE TABLE `savings_rollup_region` (
	`region_code` text NOT NULL,
	`divisor` integer NOT NULL,
	`parts` integer DEFAULT 0 NOT NULL,
	`volume_rows` integer DEFAULT 0 NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	`amount_paid_e4` integer DEFAULT 0 NOT NULL,
	`spend_num` integer DEFAULT 0 NOT NULL,
	`fund_hi` integer DEFAULT 0 NOT NULL,
	`fund_lo` integer DEFAULT 0 NOT NULL,
	`unshared_num` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`region_code`, `divisor`)
);

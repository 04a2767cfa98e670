CREATE TABLE `agreed_volumes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`price_id` integer NOT NULL,
	`region_code` text NOT NULL,
	`institution` text DEFAULT '' NOT NULL,
	`units` integer NOT NULL,
	`purchased` integer,
	`source` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`price_id`) REFERENCES `prices`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`region_code`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agreed_volumes_uq` ON `agreed_volumes` (`price_id`,`region_code`,`institution`);--> statement-breakpoint
CREATE INDEX `agreed_volumes_region_idx` ON `agreed_volumes` (`region_code`,`price_id`);--> statement-breakpoint
ALTER TABLE `prices` ADD `renews_price_id` integer;--> statement-breakpoint
CREATE INDEX `prices_renews_idx` ON `prices` (`renews_price_id`);
--> statement-breakpoint
-- Alternatives on the product page are limited to prices in force on a date and supplied to a
-- province (issue 15): the equivalents' rank index now covers the cycle and the supply regions, so
-- the cheapest equivalents a province can buy are still read from one range of it, in order.
DROP INDEX `price_search_equiv_rank_idx`;
--> statement-breakpoint
CREATE INDEX `price_search_equiv_rank_idx` ON `price_search` (`equiv_id`, `unit_price_e4`, `price_id`, `product_id`, `cycle_start`, `cycle_end`,
	`region_mask`, `regions`, `batch_id`, `category`);
--> statement-breakpoint
-- Names users type that are not the generic name or the firm's full name: brand names (商品名,
-- kind 'b') and the firm's short name (生产企业-简称, kind 's'), one row per product, kept by
-- triggers from products.brand_names (a JSON array) and products.manufacturer_short. Search finds
-- products by the start of one (an index range), lower-cased as src/domain/names folds text.
CREATE TABLE `search_aliases` (
	`alias` text NOT NULL,
	`kind` text NOT NULL,
	`product_id` integer NOT NULL,
	PRIMARY KEY (`alias`, `kind`, `product_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `search_aliases_product_idx` ON `search_aliases` (`product_id`);
--> statement-breakpoint
INSERT INTO search_aliases (alias, kind, product_id)
	SELECT lower(trim(b.value)), 'b', p.id FROM products p, json_each(p.brand_names) b
	WHERE p.brand_names IS NOT NULL AND json_valid(p.brand_names) AND trim(b.value) <> ''
	UNION SELECT lower(trim(p.manufacturer_short)), 's', p.id FROM products p WHERE trim(COALESCE(p.manufacturer_short, '')) <> '';
--> statement-breakpoint
CREATE TRIGGER `search_aliases_products_ai` AFTER INSERT ON `products` WHEN new.brand_names IS NOT NULL OR new.manufacturer_short IS NOT NULL BEGIN
	INSERT INTO search_aliases (alias, kind, product_id)
		SELECT lower(trim(b.value)), 'b', new.id FROM json_each(CASE WHEN json_valid(new.brand_names) THEN new.brand_names ELSE '[]' END) b
		WHERE trim(b.value) <> ''
		UNION SELECT lower(trim(new.manufacturer_short)), 's', new.id WHERE trim(COALESCE(new.manufacturer_short, '')) <> ''
		ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `search_aliases_products_au` AFTER UPDATE OF `brand_names`, `manufacturer_short` ON `products`
WHEN old.brand_names IS NOT new.brand_names OR old.manufacturer_short IS NOT new.manufacturer_short BEGIN
	DELETE FROM search_aliases WHERE product_id = old.id;
	INSERT INTO search_aliases (alias, kind, product_id)
		SELECT lower(trim(b.value)), 'b', new.id FROM json_each(CASE WHEN json_valid(new.brand_names) THEN new.brand_names ELSE '[]' END) b
		WHERE trim(b.value) <> ''
		UNION SELECT lower(trim(new.manufacturer_short)), 's', new.id WHERE trim(COALESCE(new.manufacturer_short, '')) <> ''
		ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
CREATE TRIGGER `search_aliases_products_ad` AFTER DELETE ON `products` BEGIN
	DELETE FROM search_aliases WHERE product_id = old.id;
END;

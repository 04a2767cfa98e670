-- Search at a million prices with filters and extra words (issue 3). 0001_search read price rows
-- one by one for `阿托伐 20mg`, minDiscount, maxUnitPrice and region, and for the "not in cycle"
-- part of a page inside a batch that is in cycle. Here price_search gains what those need, and its
-- rank indexes cover every column a search reads, so no price row is read to rank, filter or count:
-- - variant_id: the product's spec, form, package and English name (search_variants, a few hundred
--   distinct texts), so an extra word is matched once per text, not once per price;
-- - regions: the price's supply region codes as ',c1,c2,' ('' nationwide), as prices.supply_regions;
-- - cycle_start/cycle_end: '' instead of NULL, so they can key search_groups;
-- - search_groups: prices per (name or firm, batch, category, cycle), kept by triggers. Each group
--   is wholly in cycle or not, and is one contiguous range of a rank index, so a page reads only the
--   groups it needs, in order, and a count reads only the ranges that can match;
-- - search_pairs: the same counts per name split by variant and by firm, for further words.
-- drizzle-kit table rebuilds drop triggers: test/search/triggers.test.ts asserts they all exist.
CREATE TABLE `search_variants` (`id` integer PRIMARY KEY NOT NULL, `text` text NOT NULL);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_variants_text_uq` ON `search_variants` (`text`);
--> statement-breakpoint
ALTER TABLE `price_search` ADD `variant_id` integer;
--> statement-breakpoint
ALTER TABLE `price_search` ADD `regions` text NOT NULL DEFAULT '';
--> statement-breakpoint
CREATE TABLE `search_groups` (
	`term_id` integer NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`cycle_start` text NOT NULL,
	`cycle_end` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY (`term_id`, `batch_id`, `category`, `cycle_start`, `cycle_end`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Prices of one name per variant and per firm within each group: `阿托伐 20mg` and `他汀 星河` are
-- counted from a few of these rows instead of every price of the name.
CREATE TABLE `search_pairs` (
	`name_id` integer NOT NULL,
	`kind` text NOT NULL,
	`other_id` integer NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`cycle_start` text NOT NULL,
	`cycle_end` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY (`name_id`, `kind`, `other_id`, `batch_id`, `category`, `cycle_start`, `cycle_end`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Rows that existed before this migration.
INSERT OR IGNORE INTO search_variants (text)
	SELECT lower(COALESCE(spec, '') || ' ' || COALESCE(dosage_form, '') || ' ' || COALESCE(package_text, '') || ' ' || COALESCE(generic_name_en, ''))
	FROM products WHERE true ORDER BY id;
--> statement-breakpoint
UPDATE price_search SET
	cycle_start = COALESCE(cycle_start, ''),
	cycle_end = COALESCE(cycle_end, ''),
	variant_id = (SELECT v.id FROM products pr JOIN search_variants v ON v.text = lower(COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' ||
		COALESCE(pr.package_text, '') || ' ' || COALESCE(pr.generic_name_en, '')) WHERE pr.id = price_search.product_id),
	regions = COALESCE((SELECT CASE WHEN p.supply_regions = '' THEN '' ELSE ',' || p.supply_regions || ',' END FROM prices p WHERE p.id = price_search.price_id), '');
--> statement-breakpoint
INSERT INTO search_groups (term_id, batch_id, category, cycle_start, cycle_end, n)
	SELECT term_id, batch_id, category, cycle_start, cycle_end, count(*) FROM (
		SELECT name_id AS term_id, batch_id, category, cycle_start, cycle_end FROM price_search
		UNION ALL SELECT firm_id, batch_id, category, cycle_start, cycle_end FROM price_search WHERE firm_id IS NOT NULL)
	GROUP BY term_id, batch_id, category, cycle_start, cycle_end;
--> statement-breakpoint
INSERT INTO search_pairs (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, n)
	SELECT name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, count(*) FROM (
		SELECT name_id, 'v' AS kind, variant_id AS other_id, batch_id, category, cycle_start, cycle_end FROM price_search WHERE variant_id IS NOT NULL
		UNION ALL SELECT name_id, 'f', firm_id, batch_id, category, cycle_start, cycle_end FROM price_search WHERE firm_id IS NOT NULL)
	GROUP BY name_id, kind, other_id, batch_id, category, cycle_start, cycle_end;
--> statement-breakpoint
DROP INDEX `price_search_name_idx`;
--> statement-breakpoint
DROP INDEX `price_search_firm_idx`;
--> statement-breakpoint
-- One range per group, in rank order (unit price, then id) inside it; the rest is there to cover.
CREATE INDEX `price_search_name_rank_idx` ON `price_search` (`name_id`, `batch_id`, `cycle_start`, `cycle_end`, `unit_price_e4`, `price_id`,
	`category`, `discount_bp`, `variant_id`, `firm_id`, `product_id`, `regions`);
--> statement-breakpoint
CREATE INDEX `price_search_firm_rank_idx` ON `price_search` (`firm_id`, `batch_id`, `cycle_start`, `cycle_end`, `unit_price_e4`, `price_id`,
	`category`, `discount_bp`, `variant_id`, `name_id`, `product_id`, `regions`);
--> statement-breakpoint
DROP TRIGGER `search_prices_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_prices_ai` AFTER INSERT ON `prices` BEGIN
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end, variant_id, regions)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start, ''), COALESCE(new.cycle_end, b.cycle_end, ''),
			(SELECT id FROM search_variants WHERE text = lower(COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' ||
				COALESCE(pr.package_text, '') || ' ' || COALESCE(pr.generic_name_en, ''))),
			CASE WHEN new.supply_regions = '' THEN '' ELSE ',' || new.supply_regions || ',' END
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;
--> statement-breakpoint
DROP TRIGGER `search_prices_au`;
--> statement-breakpoint
CREATE TRIGGER `search_prices_au` AFTER UPDATE ON `prices` BEGIN
	DELETE FROM price_search WHERE price_id = old.id;
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end, variant_id, regions)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start, ''), COALESCE(new.cycle_end, b.cycle_end, ''),
			(SELECT id FROM search_variants WHERE text = lower(COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' ||
				COALESCE(pr.package_text, '') || ' ' || COALESCE(pr.generic_name_en, ''))),
			CASE WHEN new.supply_regions = '' THEN '' ELSE ',' || new.supply_regions || ',' END
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;
--> statement-breakpoint
DROP TRIGGER `search_batches_au`;
--> statement-breakpoint
CREATE TRIGGER `search_batches_au` AFTER UPDATE OF `cycle_start`, `cycle_end` ON `batches` BEGIN
	UPDATE price_search SET
		cycle_start = COALESCE((SELECT cycle_start FROM prices WHERE id = price_search.price_id), new.cycle_start, ''),
		cycle_end = COALESCE((SELECT cycle_end FROM prices WHERE id = price_search.price_id), new.cycle_end, '')
	WHERE batch_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_variants_products_ai` AFTER INSERT ON `products` BEGIN
	INSERT OR IGNORE INTO search_variants (text) VALUES (lower(COALESCE(new.spec, '') || ' ' || COALESCE(new.dosage_form, '') || ' ' ||
		COALESCE(new.package_text, '') || ' ' || COALESCE(new.generic_name_en, '')));
END;
--> statement-breakpoint
CREATE TRIGGER `search_variants_products_au` AFTER UPDATE ON `products` BEGIN
	INSERT OR IGNORE INTO search_variants (text) VALUES (lower(COALESCE(new.spec, '') || ' ' || COALESCE(new.dosage_form, '') || ' ' ||
		COALESCE(new.package_text, '') || ' ' || COALESCE(new.generic_name_en, '')));
	UPDATE price_search SET variant_id = (SELECT id FROM search_variants WHERE text = lower(COALESCE(new.spec, '') || ' ' ||
		COALESCE(new.dosage_form, '') || ' ' || COALESCE(new.package_text, '') || ' ' || COALESCE(new.generic_name_en, '')))
	WHERE product_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_groups_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT INTO search_groups (term_id, batch_id, category, cycle_start, cycle_end, n)
		VALUES (new.name_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1)
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
	INSERT INTO search_groups (term_id, batch_id, category, cycle_start, cycle_end, n)
		SELECT new.firm_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1 WHERE new.firm_id IS NOT NULL
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_groups_ad` AFTER DELETE ON `price_search` BEGIN
	UPDATE search_groups SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id
		AND category = old.category AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end;
END;
--> statement-breakpoint
CREATE TRIGGER `search_groups_au` AFTER UPDATE OF `name_id`, `firm_id`, `batch_id`, `category`, `cycle_start`, `cycle_end` ON `price_search` BEGIN
	UPDATE search_groups SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id
		AND category = old.category AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end;
	INSERT INTO search_groups (term_id, batch_id, category, cycle_start, cycle_end, n)
		VALUES (new.name_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1)
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
	INSERT INTO search_groups (term_id, batch_id, category, cycle_start, cycle_end, n)
		SELECT new.firm_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1 WHERE new.firm_id IS NOT NULL
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_pairs_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT INTO search_pairs (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, n)
		SELECT new.name_id, 'v', new.variant_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1 WHERE new.variant_id IS NOT NULL
		ON CONFLICT (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
	INSERT INTO search_pairs (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, n)
		SELECT new.name_id, 'f', new.firm_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1 WHERE new.firm_id IS NOT NULL
		ON CONFLICT (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_pairs_ad` AFTER DELETE ON `price_search` BEGIN
	UPDATE search_pairs SET n = n - 1 WHERE name_id = old.name_id AND ((kind = 'v' AND other_id = old.variant_id) OR (kind = 'f' AND other_id = old.firm_id))
		AND batch_id = old.batch_id AND category = old.category AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end;
END;
--> statement-breakpoint
CREATE TRIGGER `search_pairs_au` AFTER UPDATE OF `name_id`, `firm_id`, `variant_id`, `batch_id`, `category`, `cycle_start`, `cycle_end` ON `price_search` BEGIN
	UPDATE search_pairs SET n = n - 1 WHERE name_id = old.name_id AND ((kind = 'v' AND other_id = old.variant_id) OR (kind = 'f' AND other_id = old.firm_id))
		AND batch_id = old.batch_id AND category = old.category AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end;
	INSERT INTO search_pairs (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, n)
		SELECT new.name_id, 'v', new.variant_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1 WHERE new.variant_id IS NOT NULL
		ON CONFLICT (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
	INSERT INTO search_pairs (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, n)
		SELECT new.name_id, 'f', new.firm_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1 WHERE new.firm_id IS NOT NULL
		ON CONFLICT (name_id, kind, other_id, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
END;

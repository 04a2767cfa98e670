-- Search at a million prices: the tails (issue 3). Three kinds of request read far more than a page:
-- - a code prefix matching thousands of products (SYND00001, 国药准字H) counted every matched price;
--   search_code_groups keeps, per start of a code, the prices per (batch, category, cycle), so the
--   total and facets of a code prefix are a sum over a few rows. Starts are kept at 3, 6, 9 and 12
--   characters of 医保编码 and 批准文号 (the whole code when shorter): a prefix of l characters
--   reads the level at or just above l, at most two characters further, so a few dozen starts;
-- - alternatives on the product page (same generic name, dosage form and spec) sorted every price
--   of the equivalent products; price_search gains equiv_id (search_equivalents: one row per
--   distinct (generic name, form, spec), keyed by json_array so NULL and '' stay apart) and an index
--   in unit-price order, so the cheapest twenty are the first entries of one range;
-- - a word in every firm name (演示, 制药) is served by prices_unit_price_idx (see search.ts), and
--   needs nothing here.
-- All kept by triggers. drizzle-kit table rebuilds drop triggers: test/search/triggers.test.ts
-- asserts they all exist.
CREATE TABLE `search_equivalents` (`id` integer PRIMARY KEY NOT NULL, `key` text NOT NULL);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_equivalents_key_uq` ON `search_equivalents` (`key`);
--> statement-breakpoint
ALTER TABLE `price_search` ADD `equiv_id` integer;
--> statement-breakpoint
CREATE TABLE `search_code_groups` (
	`level` integer NOT NULL,
	`prefix` text NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`cycle_start` text NOT NULL,
	`cycle_end` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY (`level`, `prefix`, `batch_id`, `category`, `cycle_start`, `cycle_end`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Rows that existed before this migration.
INSERT OR IGNORE INTO search_equivalents (key) SELECT json_array(generic_name, dosage_form, spec) FROM products WHERE true ORDER BY id;
--> statement-breakpoint
UPDATE price_search SET equiv_id = (SELECT e.id FROM products pr JOIN search_equivalents e ON e.key = json_array(pr.generic_name, pr.dosage_form, pr.spec)
	WHERE pr.id = price_search.product_id);
--> statement-breakpoint
INSERT INTO search_code_groups (level, prefix, batch_id, category, cycle_start, cycle_end, n)
	SELECT k.level, k.prefix, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, count(*) FROM price_search ps JOIN (
		SELECT DISTINCT c.id, lv.column1 AS level, substr(c.code, 1, lv.column1) AS prefix
		FROM (SELECT id, nhsa_code AS code FROM products UNION ALL SELECT id, approval_no FROM products) c, (VALUES (3), (6), (9), (12)) lv
		WHERE c.code IS NOT NULL AND c.code <> '') k ON k.id = ps.product_id
	GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
CREATE INDEX `price_search_equiv_rank_idx` ON `price_search` (`equiv_id`, `unit_price_e4`, `price_id`, `product_id`);
--> statement-breakpoint
DROP TRIGGER `search_prices_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_prices_ai` AFTER INSERT ON `prices` BEGIN
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end, variant_id, regions, equiv_id)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start, ''), COALESCE(new.cycle_end, b.cycle_end, ''),
			(SELECT id FROM search_variants WHERE text = lower(COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' ||
				COALESCE(pr.package_text, '') || ' ' || COALESCE(pr.generic_name_en, ''))),
			CASE WHEN new.supply_regions = '' THEN '' ELSE ',' || new.supply_regions || ',' END,
			(SELECT id FROM search_equivalents WHERE key = json_array(pr.generic_name, pr.dosage_form, pr.spec))
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;
--> statement-breakpoint
DROP TRIGGER `search_prices_au`;
--> statement-breakpoint
CREATE TRIGGER `search_prices_au` AFTER UPDATE ON `prices` BEGIN
	DELETE FROM price_search WHERE price_id = old.id;
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end, variant_id, regions, equiv_id)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start, ''), COALESCE(new.cycle_end, b.cycle_end, ''),
			(SELECT id FROM search_variants WHERE text = lower(COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' ||
				COALESCE(pr.package_text, '') || ' ' || COALESCE(pr.generic_name_en, ''))),
			CASE WHEN new.supply_regions = '' THEN '' ELSE ',' || new.supply_regions || ',' END,
			(SELECT id FROM search_equivalents WHERE key = json_array(pr.generic_name, pr.dosage_form, pr.spec))
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_equivalents_products_ai` AFTER INSERT ON `products` BEGIN
	INSERT OR IGNORE INTO search_equivalents (key) VALUES (json_array(new.generic_name, new.dosage_form, new.spec));
END;
--> statement-breakpoint
CREATE TRIGGER `search_equivalents_products_au` AFTER UPDATE OF `generic_name`, `dosage_form`, `spec` ON `products`
WHEN old.generic_name IS NOT new.generic_name OR old.dosage_form IS NOT new.dosage_form OR old.spec IS NOT new.spec BEGIN
	INSERT OR IGNORE INTO search_equivalents (key) VALUES (json_array(new.generic_name, new.dosage_form, new.spec));
	UPDATE price_search SET equiv_id = (SELECT id FROM search_equivalents WHERE key = json_array(new.generic_name, new.dosage_form, new.spec))
	WHERE product_id = new.id;
END;
--> statement-breakpoint
-- A price counts once under each distinct start of its product's codes (DISTINCT: a 医保编码 and a
-- 批准文号 with the same start count once, and the decrement's IN list matches exactly that set).
CREATE TRIGGER `search_codes_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT INTO search_code_groups (level, prefix, batch_id, category, cycle_start, cycle_end, n)
		SELECT k.level, k.prefix, new.batch_id, new.category, new.cycle_start, new.cycle_end, 1 FROM (
			SELECT DISTINCT lv.column1 AS level, substr(c.code, 1, lv.column1) AS prefix
			FROM (SELECT nhsa_code AS code FROM products WHERE id = new.product_id UNION ALL SELECT approval_no FROM products WHERE id = new.product_id) c,
				(VALUES (3), (6), (9), (12)) lv
			WHERE c.code IS NOT NULL AND c.code <> '') k WHERE true
		ON CONFLICT (level, prefix, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_codes_ad` AFTER DELETE ON `price_search` BEGIN
	UPDATE search_code_groups SET n = n - 1
	WHERE (level, prefix) IN (
			SELECT lv.column1, substr(c.code, 1, lv.column1)
			FROM (SELECT nhsa_code AS code FROM products WHERE id = old.product_id UNION ALL SELECT approval_no FROM products WHERE id = old.product_id) c,
				(VALUES (3), (6), (9), (12)) lv
			WHERE c.code IS NOT NULL AND c.code <> '')
		AND batch_id = old.batch_id AND category = old.category AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end;
END;
--> statement-breakpoint
-- A re-published cycle (search_batches_au) moves prices between groups. The category of a price
-- changes only with its product's, which search_codes_products_au handles from the product's old and
-- new values, so the two never count one change twice whatever order the triggers run in.
CREATE TRIGGER `search_codes_au` AFTER UPDATE OF `batch_id`, `cycle_start`, `cycle_end` ON `price_search`
WHEN old.batch_id IS NOT new.batch_id OR old.cycle_start IS NOT new.cycle_start OR old.cycle_end IS NOT new.cycle_end BEGIN
	UPDATE search_code_groups SET n = n - 1
	WHERE (level, prefix) IN (
			SELECT lv.column1, substr(c.code, 1, lv.column1)
			FROM (SELECT nhsa_code AS code FROM products WHERE id = old.product_id UNION ALL SELECT approval_no FROM products WHERE id = old.product_id) c,
				(VALUES (3), (6), (9), (12)) lv
			WHERE c.code IS NOT NULL AND c.code <> '')
		AND batch_id = old.batch_id AND category = old.category AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end;
	INSERT INTO search_code_groups (level, prefix, batch_id, category, cycle_start, cycle_end, n)
		SELECT k.level, k.prefix, new.batch_id, old.category, new.cycle_start, new.cycle_end, 1 FROM (
			SELECT DISTINCT lv.column1 AS level, substr(c.code, 1, lv.column1) AS prefix
			FROM (SELECT nhsa_code AS code FROM products WHERE id = new.product_id UNION ALL SELECT approval_no FROM products WHERE id = new.product_id) c,
				(VALUES (3), (6), (9), (12)) lv
			WHERE c.code IS NOT NULL AND c.code <> '') k WHERE true
		ON CONFLICT (level, prefix, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_codes_products_au` AFTER UPDATE OF `nhsa_code`, `approval_no`, `category` ON `products`
WHEN old.nhsa_code IS NOT new.nhsa_code OR old.approval_no IS NOT new.approval_no OR old.category IS NOT new.category BEGIN
	UPDATE search_code_groups SET n = n - (SELECT count(*) FROM price_search ps WHERE ps.product_id = old.id AND ps.batch_id = search_code_groups.batch_id
			AND ps.cycle_start = search_code_groups.cycle_start AND ps.cycle_end = search_code_groups.cycle_end)
	WHERE (level, prefix) IN (
			SELECT lv.column1, substr(c.code, 1, lv.column1)
			FROM (SELECT old.nhsa_code AS code UNION ALL SELECT old.approval_no) c, (VALUES (3), (6), (9), (12)) lv
			WHERE c.code IS NOT NULL AND c.code <> '')
		AND category = old.category;
	INSERT INTO search_code_groups (level, prefix, batch_id, category, cycle_start, cycle_end, n)
		SELECT k.level, k.prefix, ps.batch_id, new.category, ps.cycle_start, ps.cycle_end, count(*) FROM (
			SELECT DISTINCT lv.column1 AS level, substr(c.code, 1, lv.column1) AS prefix
			FROM (SELECT new.nhsa_code AS code UNION ALL SELECT new.approval_no) c, (VALUES (3), (6), (9), (12)) lv
			WHERE c.code IS NOT NULL AND c.code <> '') k, price_search ps
		WHERE ps.product_id = new.id
		GROUP BY 1, 2, 3, 4, 5, 6
		ON CONFLICT (level, prefix, batch_id, category, cycle_start, cycle_end) DO UPDATE SET n = n + excluded.n;
END;

-- Search filtered by region at a million prices (issue 3): 他汀 in 大同市 with a minimum reduction
-- counted 75,000 prices and tested each one's supply regions with instr(), 10 ms. price_search gains
-- region_mask: bit (unicode(c1) * 7 + unicode(c2)) % 53 for the first two characters c1 c2 of each
-- of its supply region codes (the province, for GB/T 2260 codes; the character after a one-character
-- code is the comma). A region filter tests the mask of its codes first, an integer AND, and instr()
-- only where the mask meets it; codes that share a bit only cost that second test, never a wrong
-- answer. Bits stop at 52, so a mask stays an exact JavaScript number wherever a row is read whole.
-- A regions text longer than search_seq can scan (400 characters) gets every bit (-1).
-- src/services/search-filters.ts computes the same bits; the expression below appears three times
-- (two triggers and the rows that exist) because SQLite has no functions of its own.
ALTER TABLE `price_search` ADD `region_mask` integer NOT NULL DEFAULT 0;
--> statement-breakpoint
UPDATE price_search SET region_mask = (SELECT CASE WHEN length(r.v) > 400 THEN -1 ELSE (SELECT COALESCE(SUM(DISTINCT 1 << ((unicode(substr(r.v, s.n + 1, 1)) * 7 + unicode(substr(r.v, s.n + 2, 1))) % 53)), 0)
				FROM search_seq s WHERE s.n < length(r.v) AND substr(r.v, s.n, 1) = ',') END FROM (SELECT price_search.regions AS v) r) WHERE regions <> '';
--> statement-breakpoint
DROP INDEX `price_search_name_rank_idx`;
--> statement-breakpoint
DROP INDEX `price_search_firm_rank_idx`;
--> statement-breakpoint
-- As in 0006, with region_mask to cover region filters too.
CREATE INDEX `price_search_name_rank_idx` ON `price_search` (`name_id`, `batch_id`, `cycle_start`, `cycle_end`, `unit_price_e4`, `price_id`,
	`category`, `discount_bp`, `variant_id`, `firm_id`, `product_id`, `region_mask`, `regions`);
--> statement-breakpoint
CREATE INDEX `price_search_firm_rank_idx` ON `price_search` (`firm_id`, `batch_id`, `cycle_start`, `cycle_end`, `unit_price_e4`, `price_id`,
	`category`, `discount_bp`, `variant_id`, `name_id`, `product_id`, `region_mask`, `regions`);
--> statement-breakpoint
DROP TRIGGER `search_prices_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_prices_ai` AFTER INSERT ON `prices` BEGIN
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end, variant_id, regions, equiv_id, region_mask)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start, ''), COALESCE(new.cycle_end, b.cycle_end, ''),
			(SELECT id FROM search_variants WHERE text = lower(COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' ||
				COALESCE(pr.package_text, '') || ' ' || COALESCE(pr.generic_name_en, ''))),
			CASE WHEN new.supply_regions = '' THEN '' ELSE ',' || new.supply_regions || ',' END,
			(SELECT id FROM search_equivalents WHERE key = json_array(pr.generic_name, pr.dosage_form, pr.spec)),
			(SELECT CASE WHEN length(r.v) > 400 THEN -1 ELSE (SELECT COALESCE(SUM(DISTINCT 1 << ((unicode(substr(r.v, s.n + 1, 1)) * 7 + unicode(substr(r.v, s.n + 2, 1))) % 53)), 0)
				FROM search_seq s WHERE s.n < length(r.v) AND substr(r.v, s.n, 1) = ',') END FROM (SELECT ',' || new.supply_regions || ',' AS v) r)
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;
--> statement-breakpoint
DROP TRIGGER `search_prices_au`;
--> statement-breakpoint
CREATE TRIGGER `search_prices_au` AFTER UPDATE ON `prices` BEGIN
	DELETE FROM price_search WHERE price_id = old.id;
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end, variant_id, regions, equiv_id, region_mask)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start, ''), COALESCE(new.cycle_end, b.cycle_end, ''),
			(SELECT id FROM search_variants WHERE text = lower(COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' ||
				COALESCE(pr.package_text, '') || ' ' || COALESCE(pr.generic_name_en, ''))),
			CASE WHEN new.supply_regions = '' THEN '' ELSE ',' || new.supply_regions || ',' END,
			(SELECT id FROM search_equivalents WHERE key = json_array(pr.generic_name, pr.dosage_form, pr.spec)),
			(SELECT CASE WHEN length(r.v) > 400 THEN -1 ELSE (SELECT COALESCE(SUM(DISTINCT 1 << ((unicode(substr(r.v, s.n + 1, 1)) * 7 + unicode(substr(r.v, s.n + 2, 1))) % 53)), 0)
				FROM search_seq s WHERE s.n < length(r.v) AND substr(r.v, s.n, 1) = ',') END FROM (SELECT ',' || new.supply_regions || ',' AS v) r)
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;

--> statement-breakpoint
-- The matched set's counts under a region or a minimum reduction, without reading its prices: per
-- group of search_groups (name or firm, batch, category, cycle), the prices per province bit of the
-- mask (63: nationwide, 64: a mask of every bit, 65: every price once) and per reduction band of
-- 10 % (-1: below zero, -2: none published). A region whose codes are exactly the codes of one bit
-- (a province and the cities under it) and a minimum reduction in whole tens of percent are then a
-- sum over a few cells (src/services/search.ts); anything else still counts the prices.
CREATE TABLE `search_cells` (
	`term_id` integer NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`cycle_start` text NOT NULL,
	`cycle_end` text NOT NULL,
	`bit` integer NOT NULL,
	`band` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY (`term_id`, `batch_id`, `category`, `cycle_start`, `cycle_end`, `bit`, `band`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO search_cells (term_id, batch_id, category, cycle_start, cycle_end, bit, band, n)
	SELECT t.term_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, b.bit, CASE WHEN ps.discount_bp IS NULL THEN -2 WHEN ps.discount_bp < 0 THEN -1 ELSE ps.discount_bp / 1000 END, count(*)
	FROM price_search ps, (SELECT ps2.price_id, ps2.name_id AS term_id FROM price_search ps2 UNION ALL SELECT ps3.price_id, ps3.firm_id FROM price_search ps3 WHERE ps3.firm_id IS NOT NULL) t,
		(SELECT 65 AS bit UNION ALL SELECT 63 UNION ALL SELECT 64 UNION ALL SELECT n - 1 FROM search_seq WHERE n <= 53) b
	WHERE t.price_id = ps.price_id AND CASE
		WHEN b.bit = 65 THEN 1
		WHEN b.bit = 63 THEN ps.regions = ''
		WHEN b.bit = 64 THEN ps.regions <> '' AND ps.region_mask = -1
		ELSE ps.regions <> '' AND ps.region_mask <> -1 AND (ps.region_mask >> b.bit) & 1 END
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
CREATE TRIGGER `search_cells_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT INTO search_cells (term_id, batch_id, category, cycle_start, cycle_end, bit, band, n)
		SELECT t.term_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, b.bit, CASE WHEN new.discount_bp IS NULL THEN -2 WHEN new.discount_bp < 0 THEN -1 ELSE new.discount_bp / 1000 END, 1
		FROM (SELECT new.name_id AS term_id UNION ALL SELECT new.firm_id WHERE new.firm_id IS NOT NULL) t,
			(SELECT 65 AS bit UNION ALL SELECT 63 WHERE new.regions = '' UNION ALL SELECT 64 WHERE new.regions <> '' AND new.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND new.regions <> '' AND new.region_mask <> -1 AND (new.region_mask >> (s.n - 1)) & 1) b
		WHERE true
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end, bit, band) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_cells_ad` AFTER DELETE ON `price_search` BEGIN
	UPDATE search_cells SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category
		AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end AND band = CASE WHEN old.discount_bp IS NULL THEN -2 WHEN old.discount_bp < 0 THEN -1 ELSE old.discount_bp / 1000 END AND bit IN (SELECT 65 AS bit UNION ALL SELECT 63 WHERE old.regions = '' UNION ALL SELECT 64 WHERE old.regions <> '' AND old.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND old.regions <> '' AND old.region_mask <> -1 AND (old.region_mask >> (s.n - 1)) & 1);
END;
--> statement-breakpoint
CREATE TRIGGER `search_cells_au` AFTER UPDATE OF `name_id`, `firm_id`, `batch_id`, `category`, `cycle_start`, `cycle_end`, `discount_bp`, `regions`, `region_mask`
ON `price_search` BEGIN
	UPDATE search_cells SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category
		AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end AND band = CASE WHEN old.discount_bp IS NULL THEN -2 WHEN old.discount_bp < 0 THEN -1 ELSE old.discount_bp / 1000 END AND bit IN (SELECT 65 AS bit UNION ALL SELECT 63 WHERE old.regions = '' UNION ALL SELECT 64 WHERE old.regions <> '' AND old.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND old.regions <> '' AND old.region_mask <> -1 AND (old.region_mask >> (s.n - 1)) & 1);
	INSERT INTO search_cells (term_id, batch_id, category, cycle_start, cycle_end, bit, band, n)
		SELECT t.term_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, b.bit, CASE WHEN new.discount_bp IS NULL THEN -2 WHEN new.discount_bp < 0 THEN -1 ELSE new.discount_bp / 1000 END, 1
		FROM (SELECT new.name_id AS term_id UNION ALL SELECT new.firm_id WHERE new.firm_id IS NOT NULL) t,
			(SELECT 65 AS bit UNION ALL SELECT 63 WHERE new.regions = '' UNION ALL SELECT 64 WHERE new.regions <> '' AND new.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND new.regions <> '' AND new.region_mask <> -1 AND (new.region_mask >> (s.n - 1)) & 1) b
		WHERE true
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end, bit, band) DO UPDATE SET n = n + 1;
END;

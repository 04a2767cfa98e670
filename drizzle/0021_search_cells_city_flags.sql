-- A city counted from search_cells (issue 16): region=乌海市 counted every price of every matched group
-- one by one (180–400 ms at a million prices), since the mask bit of a city is its province's, shared
-- by the province's other cities. search_cells gains, per group and reduction band, bit 100 + b: the
-- prices listing a code longer than two characters (a city, not a province) whose mask bit is b. A
-- group with none of those under its province's bit holds only prices that list the province itself
-- (when no other region shares the bit), and each of them supplies every city in it: the city's count
-- is then the nationwide cell and the province's bit, as a province's is. Other groups are counted
-- price by price, as before (src/services/search.ts, cellsCountSql).
INSERT INTO search_cells (term_id, batch_id, category, cycle_start, cycle_end, bit, band, n)
	SELECT t.term_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, f.bit, CASE WHEN ps.discount_bp IS NULL THEN -2 WHEN ps.discount_bp < 0 THEN -1 ELSE ps.discount_bp / 1000 END, count(*)
	FROM price_search ps,
		(SELECT ps2.price_id, ps2.name_id AS term_id FROM price_search ps2 UNION ALL SELECT ps3.price_id, ps3.firm_id FROM price_search ps3 WHERE ps3.firm_id IS NOT NULL) t,
		(SELECT DISTINCT p4.price_id, 100 + ((unicode(substr(p4.regions, s.n + 1, 1)) * 7 + unicode(substr(p4.regions, s.n + 2, 1))) % 53) AS bit
			FROM price_search p4, search_seq s
			WHERE p4.regions <> '' AND p4.region_mask <> -1 AND s.n < length(p4.regions) AND substr(p4.regions, s.n, 1) = ',' AND substr(p4.regions, s.n + 3, 1) <> ',') f
	WHERE t.price_id = ps.price_id AND f.price_id = ps.price_id
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
DROP TRIGGER `search_cells_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_cells_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT INTO search_cells (term_id, batch_id, category, cycle_start, cycle_end, bit, band, n)
		SELECT t.term_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, b.bit, CASE WHEN new.discount_bp IS NULL THEN -2 WHEN new.discount_bp < 0 THEN -1 ELSE new.discount_bp / 1000 END, 1
		FROM (SELECT new.name_id AS term_id UNION ALL SELECT new.firm_id WHERE new.firm_id IS NOT NULL) t,
			(SELECT 65 AS bit UNION ALL SELECT 63 WHERE new.regions = '' UNION ALL SELECT 64 WHERE new.regions <> '' AND new.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND new.regions <> '' AND new.region_mask <> -1 AND (new.region_mask >> (s.n - 1)) & 1
			UNION ALL SELECT DISTINCT 100 + ((unicode(substr(new.regions, s.n + 1, 1)) * 7 + unicode(substr(new.regions, s.n + 2, 1))) % 53) FROM search_seq s
				WHERE new.regions <> '' AND new.region_mask <> -1 AND s.n < length(new.regions) AND substr(new.regions, s.n, 1) = ',' AND substr(new.regions, s.n + 3, 1) <> ',') b
		WHERE true
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end, bit, band) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
DROP TRIGGER `search_cells_ad`;
--> statement-breakpoint
CREATE TRIGGER `search_cells_ad` AFTER DELETE ON `price_search` BEGIN
	UPDATE search_cells SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category
		AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end AND band = CASE WHEN old.discount_bp IS NULL THEN -2 WHEN old.discount_bp < 0 THEN -1 ELSE old.discount_bp / 1000 END AND bit IN (SELECT 65 AS bit UNION ALL SELECT 63 WHERE old.regions = '' UNION ALL SELECT 64 WHERE old.regions <> '' AND old.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND old.regions <> '' AND old.region_mask <> -1 AND (old.region_mask >> (s.n - 1)) & 1
			UNION ALL SELECT DISTINCT 100 + ((unicode(substr(old.regions, s.n + 1, 1)) * 7 + unicode(substr(old.regions, s.n + 2, 1))) % 53) FROM search_seq s
				WHERE old.regions <> '' AND old.region_mask <> -1 AND s.n < length(old.regions) AND substr(old.regions, s.n, 1) = ',' AND substr(old.regions, s.n + 3, 1) <> ',');
END;
--> statement-breakpoint
DROP TRIGGER `search_cells_au`;
--> statement-breakpoint
CREATE TRIGGER `search_cells_au` AFTER UPDATE OF `name_id`, `firm_id`, `batch_id`, `category`, `cycle_start`, `cycle_end`, `discount_bp`, `regions`, `region_mask`
ON `price_search` BEGIN
	UPDATE search_cells SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category
		AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end AND band = CASE WHEN old.discount_bp IS NULL THEN -2 WHEN old.discount_bp < 0 THEN -1 ELSE old.discount_bp / 1000 END AND bit IN (SELECT 65 AS bit UNION ALL SELECT 63 WHERE old.regions = '' UNION ALL SELECT 64 WHERE old.regions <> '' AND old.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND old.regions <> '' AND old.region_mask <> -1 AND (old.region_mask >> (s.n - 1)) & 1
			UNION ALL SELECT DISTINCT 100 + ((unicode(substr(old.regions, s.n + 1, 1)) * 7 + unicode(substr(old.regions, s.n + 2, 1))) % 53) FROM search_seq s
				WHERE old.regions <> '' AND old.region_mask <> -1 AND s.n < length(old.regions) AND substr(old.regions, s.n, 1) = ',' AND substr(old.regions, s.n + 3, 1) <> ',');
	INSERT INTO search_cells (term_id, batch_id, category, cycle_start, cycle_end, bit, band, n)
		SELECT t.term_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, b.bit, CASE WHEN new.discount_bp IS NULL THEN -2 WHEN new.discount_bp < 0 THEN -1 ELSE new.discount_bp / 1000 END, 1
		FROM (SELECT new.name_id AS term_id UNION ALL SELECT new.firm_id WHERE new.firm_id IS NOT NULL) t,
			(SELECT 65 AS bit UNION ALL SELECT 63 WHERE new.regions = '' UNION ALL SELECT 64 WHERE new.regions <> '' AND new.region_mask = -1
			UNION ALL SELECT s.n - 1 FROM search_seq s WHERE s.n <= 53 AND new.regions <> '' AND new.region_mask <> -1 AND (new.region_mask >> (s.n - 1)) & 1
			UNION ALL SELECT DISTINCT 100 + ((unicode(substr(new.regions, s.n + 1, 1)) * 7 + unicode(substr(new.regions, s.n + 2, 1))) % 53) FROM search_seq s
				WHERE new.regions <> '' AND new.region_mask <> -1 AND s.n < length(new.regions) AND substr(new.regions, s.n, 1) = ',' AND substr(new.regions, s.n + 3, 1) <> ',') b
		WHERE true
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end, bit, band) DO UPDATE SET n = n + 1;
END;

-- A maximum unit price counted without reading every matched price (issue 16): `maxUnitPrice=1.5294`
-- counted 342,749 of a million prices one by one, 80–150 ms. Per group of search_groups (name or
-- firm, batch, category, cycle), the prices per band of unit price: pband is ten times the number of
-- digits of unit_price_e4 plus its first digit (12,345 → 51: from 10,000 to 19,999), 0 for a price
-- of zero or less, so bands are in the order of the prices they hold and each is at most a ninth of
-- a decade. A maximum is then the sum of the bands below its own and a read of the one band it cuts
-- through the group's rank index (src/services/price-bands.ts computes the same band).
CREATE TABLE `search_price_cells` (
	`term_id` integer NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`cycle_start` text NOT NULL,
	`cycle_end` text NOT NULL,
	`pband` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`term_id`, `batch_id`, `category`, `cycle_start`, `cycle_end`, `pband`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO search_price_cells (term_id, batch_id, category, cycle_start, cycle_end, pband, n)
	SELECT t.term_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, CASE WHEN ps.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(ps.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(ps.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END, count(*)
	FROM price_search ps, (SELECT ps2.price_id, ps2.name_id AS term_id FROM price_search ps2 UNION ALL SELECT ps3.price_id, ps3.firm_id FROM price_search ps3 WHERE ps3.firm_id IS NOT NULL) t
	WHERE t.price_id = ps.price_id
	GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
CREATE TRIGGER `search_price_cells_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT INTO search_price_cells (term_id, batch_id, category, cycle_start, cycle_end, pband, n)
		SELECT t.term_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, CASE WHEN new.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(new.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(new.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END, 1
		FROM (SELECT new.name_id AS term_id UNION ALL SELECT new.firm_id WHERE new.firm_id IS NOT NULL) t
		WHERE true
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end, pband) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_price_cells_ad` AFTER DELETE ON `price_search` BEGIN
	UPDATE search_price_cells SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category
		AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end AND pband = CASE WHEN old.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(old.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(old.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END;
END;
--> statement-breakpoint
CREATE TRIGGER `search_price_cells_au` AFTER UPDATE OF `name_id`, `firm_id`, `batch_id`, `category`, `cycle_start`, `cycle_end`, `unit_price_e4`
ON `price_search` BEGIN
	UPDATE search_price_cells SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category
		AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end AND pband = CASE WHEN old.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(old.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(old.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END;
	INSERT INTO search_price_cells (term_id, batch_id, category, cycle_start, cycle_end, pband, n)
		SELECT t.term_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, CASE WHEN new.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(new.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(new.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END, 1
		FROM (SELECT new.name_id AS term_id UNION ALL SELECT new.firm_id WHERE new.firm_id IS NOT NULL) t
		WHERE true
		ON CONFLICT (term_id, batch_id, category, cycle_start, cycle_end, pband) DO UPDATE SET n = n + 1;
END;

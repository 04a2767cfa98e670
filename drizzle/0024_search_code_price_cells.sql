-- A broad start of a code under a maximum unit price read every price of the start (issue 16):
-- `q=SYND000&maxUnitPrice=0.6269` counted 462,000 of the 933,000 rows of search_code_prices under
-- SYND000 one by one, 100–200 ms at a million prices. Per start of a code (3, 6 or 9 characters, as
-- search_code_groups keeps them; longer starts hold few prices and are read), batch, category and
-- cycle, the rows per band of unit price (pband, as search_price_cells: src/services/price-bands.ts).
-- The maximum is then the sum of the bands below its own, and the one band it cuts is read through
-- search_code_prices_price_idx: the prices of the band up to the maximum, whatever their code, kept
-- to the start's by the code beside each (11,000 of them for 0.6269, against the 462,000).
-- Kept by triggers on search_code_prices, which only ever inserts (OR IGNORE: no trigger fires for
-- a row already there) and deletes.
CREATE TABLE `search_code_price_cells` (
	`level` integer NOT NULL,
	`prefix` text NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`cycle_start` text NOT NULL,
	`cycle_end` text NOT NULL,
	`pband` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `prefix`, `batch_id`, `category`, `cycle_start`, `cycle_end`, `pband`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO search_code_price_cells (level, prefix, batch_id, category, cycle_start, cycle_end, pband, n)
	SELECT lv.column1, substr(cp.code, 1, lv.column1), cp.batch_id, cp.category, cp.cycle_start, cp.cycle_end, CASE WHEN cp.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(cp.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(cp.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END, count(*)
	FROM search_code_prices cp, (VALUES (3), (6), (9)) lv
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
CREATE INDEX `search_code_prices_price_idx` ON `search_code_prices` (`unit_price_e4`,`code`,`batch_id`);
--> statement-breakpoint
CREATE TRIGGER `search_code_price_cells_ai` AFTER INSERT ON `search_code_prices` BEGIN
	INSERT INTO search_code_price_cells (level, prefix, batch_id, category, cycle_start, cycle_end, pband, n)
		SELECT lv.column1, substr(new.code, 1, lv.column1), new.batch_id, new.category, new.cycle_start, new.cycle_end, CASE WHEN new.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(new.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(new.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END, 1
		FROM (VALUES (3), (6), (9)) lv
		WHERE true
		ON CONFLICT (level, prefix, batch_id, category, cycle_start, cycle_end, pband) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_code_price_cells_ad` AFTER DELETE ON `search_code_prices` BEGIN
	UPDATE search_code_price_cells SET n = n - 1
	WHERE (level, prefix) IN (SELECT lv.column1, substr(old.code, 1, lv.column1) FROM (VALUES (3), (6), (9)) lv)
		AND batch_id = old.batch_id AND category = old.category AND cycle_start = old.cycle_start AND cycle_end = old.cycle_end
		AND pband = CASE WHEN old.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(old.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(old.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END;
END;

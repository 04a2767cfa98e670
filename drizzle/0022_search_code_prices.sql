-- A start of a code shared by thousands of products answered slowly (issue 16): `q=SYNC00001`, 15,000
-- prices of 10,000 dear devices, none in the first stretch of the global unit-price order, was read
-- whole through price_search_product_idx, one row lookup each (24–36 ms at a million prices). Here
-- every price sits under each of its product's codes (医保编码, 批准文号) with every column a filter,
-- a sort or a count of search reads, so a start of a code is one range of this table: its prices come
-- in code order, about 100 bytes each, and a page is the first n of them in the sort's order (2–3 ms),
-- a count under filters a pass over the range. The columns keep price_search's names, so the filters
-- rendered for price_search rows (alias ps) apply unchanged.
CREATE TABLE `search_code_prices` (
	`code` text NOT NULL,
	`unit_price_e4` integer NOT NULL,
	`price_id` integer NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`cycle_start` text NOT NULL,
	`cycle_end` text NOT NULL,
	`discount_bp` integer,
	`firm_id` integer,
	`region_mask` integer NOT NULL,
	`regions` text NOT NULL,
	PRIMARY KEY(`code`, `unit_price_e4`, `price_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT OR IGNORE INTO search_code_prices (code, unit_price_e4, price_id, batch_id, category, cycle_start, cycle_end, discount_bp, firm_id, region_mask, regions)
	SELECT c.code, ps.unit_price_e4, ps.price_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, ps.discount_bp, ps.firm_id, ps.region_mask, ps.regions
	FROM price_search ps JOIN (SELECT id, nhsa_code AS code FROM products UNION ALL SELECT id, approval_no FROM products) c ON c.id = ps.product_id
	WHERE c.code IS NOT NULL AND c.code <> '';
--> statement-breakpoint
CREATE TRIGGER `search_code_prices_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT OR IGNORE INTO search_code_prices (code, unit_price_e4, price_id, batch_id, category, cycle_start, cycle_end, discount_bp, firm_id, region_mask, regions)
		SELECT c.code, new.unit_price_e4, new.price_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, new.discount_bp, new.firm_id, new.region_mask, new.regions
		FROM (SELECT nhsa_code AS code FROM products WHERE id = new.product_id UNION ALL SELECT approval_no FROM products WHERE id = new.product_id) c
		WHERE c.code IS NOT NULL AND c.code <> '';
END;
--> statement-breakpoint
CREATE TRIGGER `search_code_prices_ad` AFTER DELETE ON `price_search` BEGIN
	DELETE FROM search_code_prices WHERE code IN (SELECT nhsa_code FROM products WHERE id = old.product_id UNION ALL SELECT approval_no FROM products WHERE id = old.product_id)
		AND unit_price_e4 = old.unit_price_e4 AND price_id = old.price_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_code_prices_au` AFTER UPDATE OF `product_id`, `unit_price_e4`, `batch_id`, `category`, `cycle_start`, `cycle_end`, `discount_bp`, `firm_id`, `region_mask`, `regions` ON `price_search` BEGIN
	DELETE FROM search_code_prices WHERE code IN (SELECT nhsa_code FROM products WHERE id = old.product_id UNION ALL SELECT approval_no FROM products WHERE id = old.product_id)
		AND unit_price_e4 = old.unit_price_e4 AND price_id = old.price_id;
	INSERT OR IGNORE INTO search_code_prices (code, unit_price_e4, price_id, batch_id, category, cycle_start, cycle_end, discount_bp, firm_id, region_mask, regions)
		SELECT c.code, new.unit_price_e4, new.price_id, new.batch_id, new.category, new.cycle_start, new.cycle_end, new.discount_bp, new.firm_id, new.region_mask, new.regions
		FROM (SELECT nhsa_code AS code FROM products WHERE id = new.product_id UNION ALL SELECT approval_no FROM products WHERE id = new.product_id) c
		WHERE c.code IS NOT NULL AND c.code <> '';
END;
--> statement-breakpoint
-- New codes move the product's prices: out from under the old ones, in under the new.
CREATE TRIGGER `search_code_prices_products_au` AFTER UPDATE OF `nhsa_code`, `approval_no` ON `products`
WHEN old.nhsa_code IS NOT new.nhsa_code OR old.approval_no IS NOT new.approval_no BEGIN
	DELETE FROM search_code_prices WHERE code IN (old.nhsa_code, old.approval_no)
		AND price_id IN (SELECT price_id FROM price_search WHERE product_id = old.id);
	INSERT OR IGNORE INTO search_code_prices (code, unit_price_e4, price_id, batch_id, category, cycle_start, cycle_end, discount_bp, firm_id, region_mask, regions)
		SELECT c.code, ps.unit_price_e4, ps.price_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, ps.discount_bp, ps.firm_id, ps.region_mask, ps.regions
		FROM price_search ps, (SELECT new.nhsa_code AS code UNION ALL SELECT new.approval_no) c
		WHERE ps.product_id = new.id AND c.code IS NOT NULL AND c.code <> '';
END;

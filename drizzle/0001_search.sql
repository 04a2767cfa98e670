-- Search (issue 3). Names repeat across thousands of products, so names and firms are matched once
-- per distinct term (search_terms, small) and prices are then read in rank order from price_search,
-- a trigger-maintained copy of the few price columns ranking and facets need. products_fts indexes
-- every searchable product field (trigram) for codes and multi-word queries. Everything here is
-- kept in sync by triggers, so the import path only writes products and prices.
-- drizzle-kit table rebuilds drop triggers: test/search/triggers.test.ts asserts they all exist.
CREATE TABLE `search_seq` (`n` integer PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT INTO `search_seq` (`n`) WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 400) SELECT n FROM s;
--> statement-breakpoint
CREATE TABLE `search_terms` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`term` text NOT NULL,
	`display` text NOT NULL,
	`name_en` text,
	`pinyin` text,
	`initials` text,
	`category` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_terms_kind_term_uq` ON `search_terms` (`kind`, `term`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_terms_fts` USING fts5(`term`, `name_en`, `pinyin`, `initials`, tokenize = 'trigram');
--> statement-breakpoint
CREATE TABLE `search_grams` (
	`gram` text NOT NULL,
	`term_id` integer NOT NULL,
	PRIMARY KEY (`gram`, `term_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `price_search` (
	`price_id` integer PRIMARY KEY NOT NULL,
	`product_id` integer NOT NULL,
	`name_id` integer NOT NULL,
	`firm_id` integer,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`unit_price_e4` integer NOT NULL,
	`discount_bp` integer,
	`cycle_start` text,
	`cycle_end` text
);
--> statement-breakpoint
CREATE INDEX `price_search_name_idx` ON `price_search` (`name_id`, `unit_price_e4`, `price_id`);
--> statement-breakpoint
CREATE INDEX `price_search_firm_idx` ON `price_search` (`firm_id`, `unit_price_e4`, `price_id`);
--> statement-breakpoint
CREATE INDEX `price_search_product_idx` ON `price_search` (`product_id`);
--> statement-breakpoint
CREATE TABLE `search_facets` (
	`term_id` integer NOT NULL,
	`batch_id` text NOT NULL,
	`category` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY (`term_id`, `batch_id`, `category`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE VIRTUAL TABLE `products_fts` USING fts5(`name`, `name_en`, `pinyin`, `initials`, `firm`, `codes`, `spec`, tokenize = 'trigram', content = '', contentless_delete = 1);
--> statement-breakpoint
CREATE TRIGGER `search_terms_ai` AFTER INSERT ON `search_terms` BEGIN
	INSERT INTO search_terms_fts (rowid, term, name_en, pinyin, initials) VALUES (new.id, new.term, new.name_en, new.pinyin, new.initials);
	INSERT OR IGNORE INTO search_grams (gram, term_id)
		SELECT substr(f.v, s.n, 2), new.id FROM search_seq s,
			(SELECT new.term AS v UNION ALL SELECT new.name_en UNION ALL SELECT new.pinyin UNION ALL SELECT new.initials) f
		WHERE f.v IS NOT NULL AND s.n <= length(f.v);
END;
--> statement-breakpoint
CREATE TRIGGER `search_terms_au` AFTER UPDATE ON `search_terms` BEGIN
	DELETE FROM search_terms_fts WHERE rowid = old.id;
	INSERT INTO search_terms_fts (rowid, term, name_en, pinyin, initials) VALUES (new.id, new.term, new.name_en, new.pinyin, new.initials);
	INSERT OR IGNORE INTO search_grams (gram, term_id)
		SELECT substr(f.v, s.n, 2), new.id FROM search_seq s,
			(SELECT new.term AS v UNION ALL SELECT new.name_en UNION ALL SELECT new.pinyin UNION ALL SELECT new.initials) f
		WHERE f.v IS NOT NULL AND s.n <= length(f.v);
END;
--> statement-breakpoint
CREATE TRIGGER `search_products_ai` AFTER INSERT ON `products` BEGIN
	INSERT INTO search_terms (kind, term, display, name_en, pinyin, initials, category)
		VALUES ('name', new.name_norm, new.generic_name, lower(trim(new.generic_name_en)), new.name_pinyin, new.name_initials, new.category)
		ON CONFLICT (kind, term) DO UPDATE SET name_en = excluded.name_en
		WHERE search_terms.name_en IS NULL AND excluded.name_en IS NOT NULL AND excluded.name_en <> '';
	INSERT OR IGNORE INTO search_terms (kind, term, display)
		SELECT 'firm', lower(trim(replace(replace(new.manufacturer, '（', '('), '）', ')'))), trim(new.manufacturer)
		WHERE trim(COALESCE(new.manufacturer, '')) <> '';
	INSERT INTO products_fts (rowid, name, name_en, pinyin, initials, firm, codes, spec)
		VALUES (new.id, new.name_norm, new.generic_name_en, new.name_pinyin, new.name_initials, new.manufacturer,
			trim(COALESCE(new.nhsa_code, '') || ' ' || COALESCE(new.approval_no, '')),
			trim(COALESCE(new.spec, '') || ' ' || COALESCE(new.dosage_form, '')));
END;
--> statement-breakpoint
CREATE TRIGGER `search_products_au` AFTER UPDATE ON `products` BEGIN
	INSERT INTO search_terms (kind, term, display, name_en, pinyin, initials, category)
		VALUES ('name', new.name_norm, new.generic_name, lower(trim(new.generic_name_en)), new.name_pinyin, new.name_initials, new.category)
		ON CONFLICT (kind, term) DO UPDATE SET name_en = excluded.name_en
		WHERE search_terms.name_en IS NULL AND excluded.name_en IS NOT NULL AND excluded.name_en <> '';
	INSERT OR IGNORE INTO search_terms (kind, term, display)
		SELECT 'firm', lower(trim(replace(replace(new.manufacturer, '（', '('), '）', ')'))), trim(new.manufacturer)
		WHERE trim(COALESCE(new.manufacturer, '')) <> '';
	DELETE FROM products_fts WHERE rowid = old.id;
	INSERT INTO products_fts (rowid, name, name_en, pinyin, initials, firm, codes, spec)
		VALUES (new.id, new.name_norm, new.generic_name_en, new.name_pinyin, new.name_initials, new.manufacturer,
			trim(COALESCE(new.nhsa_code, '') || ' ' || COALESCE(new.approval_no, '')),
			trim(COALESCE(new.spec, '') || ' ' || COALESCE(new.dosage_form, '')));
	UPDATE price_search SET
		name_id = (SELECT id FROM search_terms WHERE kind = 'name' AND term = new.name_norm),
		firm_id = (SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(new.manufacturer, '（', '('), '）', ')')))),
		category = new.category
	WHERE product_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_products_ad` AFTER DELETE ON `products` BEGIN
	DELETE FROM products_fts WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_prices_ai` AFTER INSERT ON `prices` BEGIN
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start), COALESCE(new.cycle_end, b.cycle_end)
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_prices_au` AFTER UPDATE ON `prices` BEGIN
	DELETE FROM price_search WHERE price_id = old.id;
	INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end)
		SELECT new.id, new.product_id,
			(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
			(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
			new.batch_id, pr.category, new.unit_price_e4, new.discount_bp,
			COALESCE(new.cycle_start, b.cycle_start), COALESCE(new.cycle_end, b.cycle_end)
		FROM products pr, batches b WHERE pr.id = new.product_id AND b.id = new.batch_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_prices_ad` AFTER DELETE ON `prices` BEGIN
	DELETE FROM price_search WHERE price_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_batches_au` AFTER UPDATE OF `cycle_start`, `cycle_end` ON `batches` BEGIN
	UPDATE price_search SET
		cycle_start = COALESCE((SELECT cycle_start FROM prices WHERE id = price_search.price_id), new.cycle_start),
		cycle_end = COALESCE((SELECT cycle_end FROM prices WHERE id = price_search.price_id), new.cycle_end)
	WHERE batch_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_price_search_ai` AFTER INSERT ON `price_search` BEGIN
	INSERT INTO search_facets (term_id, batch_id, category, n) VALUES (new.name_id, new.batch_id, new.category, 1)
		ON CONFLICT (term_id, batch_id, category) DO UPDATE SET n = n + 1;
	INSERT INTO search_facets (term_id, batch_id, category, n) SELECT new.firm_id, new.batch_id, new.category, 1 WHERE new.firm_id IS NOT NULL
		ON CONFLICT (term_id, batch_id, category) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_price_search_ad` AFTER DELETE ON `price_search` BEGIN
	UPDATE search_facets SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category;
END;
--> statement-breakpoint
CREATE TRIGGER `search_price_search_au` AFTER UPDATE OF `name_id`, `firm_id`, `batch_id`, `category` ON `price_search` BEGIN
	UPDATE search_facets SET n = n - 1 WHERE term_id IN (old.name_id, old.firm_id) AND batch_id = old.batch_id AND category = old.category;
	INSERT INTO search_facets (term_id, batch_id, category, n) VALUES (new.name_id, new.batch_id, new.category, 1)
		ON CONFLICT (term_id, batch_id, category) DO UPDATE SET n = n + 1;
	INSERT INTO search_facets (term_id, batch_id, category, n) SELECT new.firm_id, new.batch_id, new.category, 1 WHERE new.firm_id IS NOT NULL
		ON CONFLICT (term_id, batch_id, category) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- Rows that existed before this migration.
INSERT INTO products_fts (rowid, name, name_en, pinyin, initials, firm, codes, spec)
	SELECT id, name_norm, generic_name_en, name_pinyin, name_initials, manufacturer,
		trim(COALESCE(nhsa_code, '') || ' ' || COALESCE(approval_no, '')), trim(COALESCE(spec, '') || ' ' || COALESCE(dosage_form, ''))
	FROM products;
--> statement-breakpoint
INSERT OR IGNORE INTO search_terms (kind, term, display, name_en, pinyin, initials, category)
	SELECT 'name', name_norm, generic_name, lower(trim(generic_name_en)), name_pinyin, name_initials, category FROM products WHERE true ORDER BY id;
--> statement-breakpoint
INSERT OR IGNORE INTO search_terms (kind, term, display)
	SELECT 'firm', lower(trim(replace(replace(manufacturer, '（', '('), '）', ')'))), trim(manufacturer) FROM products
	WHERE trim(COALESCE(manufacturer, '')) <> '' ORDER BY id;
--> statement-breakpoint
INSERT INTO price_search (price_id, product_id, name_id, firm_id, batch_id, category, unit_price_e4, discount_bp, cycle_start, cycle_end)
	SELECT p.id, p.product_id,
		(SELECT id FROM search_terms WHERE kind = 'name' AND term = pr.name_norm),
		(SELECT id FROM search_terms WHERE kind = 'firm' AND term = lower(trim(replace(replace(pr.manufacturer, '（', '('), '）', ')')))),
		p.batch_id, pr.category, p.unit_price_e4, p.discount_bp, COALESCE(p.cycle_start, b.cycle_start), COALESCE(p.cycle_end, b.cycle_end)
	FROM prices p JOIN products pr ON pr.id = p.product_id JOIN batches b ON b.id = p.batch_id;

-- Triggers that add to the search dictionaries (terms, grams, variants, equivalents) skipped a
-- row already there with INSERT OR IGNORE. SQLite lets the statement that fires a trigger impose
-- its own conflict policy on the trigger's OR clauses, and an UPSERT's DO UPDATE makes it ABORT:
-- `INSERT INTO products … ON CONFLICT DO UPDATE` then failed with "UNIQUE constraint failed:
-- search_variants.text" (the import works around it). An upsert clause in the trigger is its own.
-- Same bodies otherwise (as left by 0001, 0006 and 0007).
DROP TRIGGER `search_equivalents_products_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_equivalents_products_ai` AFTER INSERT ON `products` BEGIN
	INSERT INTO search_equivalents (key) VALUES (json_array(new.generic_name, new.dosage_form, new.spec))
		ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
DROP TRIGGER `search_equivalents_products_au`;
--> statement-breakpoint
CREATE TRIGGER `search_equivalents_products_au` AFTER UPDATE OF `generic_name`, `dosage_form`, `spec` ON `products`
WHEN old.generic_name IS NOT new.generic_name OR old.dosage_form IS NOT new.dosage_form OR old.spec IS NOT new.spec BEGIN
	INSERT INTO search_equivalents (key) VALUES (json_array(new.generic_name, new.dosage_form, new.spec))
		ON CONFLICT DO NOTHING;
	UPDATE price_search SET equiv_id = (SELECT id FROM search_equivalents WHERE key = json_array(new.generic_name, new.dosage_form, new.spec))
	WHERE product_id = new.id;
END;
--> statement-breakpoint
DROP TRIGGER `search_products_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_products_ai` AFTER INSERT ON `products` BEGIN
	INSERT INTO search_terms (kind, term, display, name_en, pinyin, initials, category)
		VALUES ('name', new.name_norm, new.generic_name, lower(trim(new.generic_name_en)), new.name_pinyin, new.name_initials, new.category)
		ON CONFLICT (kind, term) DO UPDATE SET name_en = excluded.name_en
		WHERE search_terms.name_en IS NULL AND excluded.name_en IS NOT NULL AND excluded.name_en <> '';
	INSERT INTO search_terms (kind, term, display)
		SELECT 'firm', lower(trim(replace(replace(new.manufacturer, '（', '('), '）', ')'))), trim(new.manufacturer)
		WHERE trim(COALESCE(new.manufacturer, '')) <> ''
		ON CONFLICT DO NOTHING;
	INSERT INTO products_fts (rowid, name, name_en, pinyin, initials, firm, codes, spec)
		VALUES (new.id, new.name_norm, new.generic_name_en, new.name_pinyin, new.name_initials, new.manufacturer,
			trim(COALESCE(new.nhsa_code, '') || ' ' || COALESCE(new.approval_no, '')),
			trim(COALESCE(new.spec, '') || ' ' || COALESCE(new.dosage_form, '')));
END;
--> statement-breakpoint
DROP TRIGGER `search_products_au`;
--> statement-breakpoint
CREATE TRIGGER `search_products_au` AFTER UPDATE ON `products` BEGIN
	INSERT INTO search_terms (kind, term, display, name_en, pinyin, initials, category)
		VALUES ('name', new.name_norm, new.generic_name, lower(trim(new.generic_name_en)), new.name_pinyin, new.name_initials, new.category)
		ON CONFLICT (kind, term) DO UPDATE SET name_en = excluded.name_en
		WHERE search_terms.name_en IS NULL AND excluded.name_en IS NOT NULL AND excluded.name_en <> '';
	INSERT INTO search_terms (kind, term, display)
		SELECT 'firm', lower(trim(replace(replace(new.manufacturer, '（', '('), '）', ')'))), trim(new.manufacturer)
		WHERE trim(COALESCE(new.manufacturer, '')) <> ''
		ON CONFLICT DO NOTHING;
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
DROP TRIGGER `search_terms_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_terms_ai` AFTER INSERT ON `search_terms` BEGIN
	INSERT INTO search_terms_fts (rowid, term, name_en, pinyin, initials) VALUES (new.id, new.term, new.name_en, new.pinyin, new.initials);
	INSERT INTO search_grams (gram, term_id)
		SELECT substr(f.v, s.n, 2), new.id FROM search_seq s,
			(SELECT new.term AS v UNION ALL SELECT new.name_en UNION ALL SELECT new.pinyin UNION ALL SELECT new.initials) f
		WHERE f.v IS NOT NULL AND s.n <= length(f.v)
		ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
DROP TRIGGER `search_terms_au`;
--> statement-breakpoint
CREATE TRIGGER `search_terms_au` AFTER UPDATE ON `search_terms` BEGIN
	DELETE FROM search_terms_fts WHERE rowid = old.id;
	INSERT INTO search_terms_fts (rowid, term, name_en, pinyin, initials) VALUES (new.id, new.term, new.name_en, new.pinyin, new.initials);
	INSERT INTO search_grams (gram, term_id)
		SELECT substr(f.v, s.n, 2), new.id FROM search_seq s,
			(SELECT new.term AS v UNION ALL SELECT new.name_en UNION ALL SELECT new.pinyin UNION ALL SELECT new.initials) f
		WHERE f.v IS NOT NULL AND s.n <= length(f.v)
		ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
DROP TRIGGER `search_variants_products_ai`;
--> statement-breakpoint
CREATE TRIGGER `search_variants_products_ai` AFTER INSERT ON `products` BEGIN
	INSERT INTO search_variants (text) VALUES (lower(COALESCE(new.spec, '') || ' ' || COALESCE(new.dosage_form, '') || ' ' ||
		COALESCE(new.package_text, '') || ' ' || COALESCE(new.generic_name_en, '')))
		ON CONFLICT DO NOTHING;
END;
--> statement-breakpoint
DROP TRIGGER `search_variants_products_au`;
--> statement-breakpoint
CREATE TRIGGER `search_variants_products_au` AFTER UPDATE ON `products` BEGIN
	INSERT INTO search_variants (text) VALUES (lower(COALESCE(new.spec, '') || ' ' || COALESCE(new.dosage_form, '') || ' ' ||
		COALESCE(new.package_text, '') || ' ' || COALESCE(new.generic_name_en, '')))
		ON CONFLICT DO NOTHING;
	UPDATE price_search SET variant_id = (SELECT id FROM search_variants WHERE text = lower(COALESCE(new.spec, '') || ' ' ||
		COALESCE(new.dosage_form, '') || ' ' || COALESCE(new.package_text, '') || ' ' || COALESCE(new.generic_name_en, '')))
	WHERE product_id = new.id;
END;

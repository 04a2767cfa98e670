-- Prices the seeded analyst workbook gives per smallest unit, with no package size (the 4+7
-- expansion and batches 2-4, and batch 1's losing bids), were seeded before 6 December 2026 with the
-- package as their unit, so the pages read 元/包装 for one tablet. The importer now records such a
-- price as quoted per smallest unit (src/import/kinds/prices.ts, quotedUnit) and the seeds carry it;
-- this gives a database seeded earlier the same. Only rows the seeds made (their source names the
-- workbook) without a package size or unit change; a new database has none (it is seeded after).
UPDATE products SET package_unit = '最小单位', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
WHERE package_qty IS NULL AND package_unit IS NULL
	AND id IN (
		SELECT product_id FROM prices
		WHERE batch_id IN ('national-drug-1', 'national-drug-1-expansion', 'national-drug-2', 'national-drug-3', 'national-drug-4')
			AND source LIKE 'national-vbp-results-batches-1-4.xlsx %'
	);
--> statement-breakpoint
UPDATE bids SET package_unit = '最小单位', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
WHERE package_qty IS NULL AND package_unit IS NULL AND source LIKE 'national-vbp-results-batches-1-4.xlsx %';

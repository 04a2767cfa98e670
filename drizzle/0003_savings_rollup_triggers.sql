-- Savings rollups maintained by triggers, so every write path (imports, fixes by hand, later
-- tools) keeps them equal to the raw volume rows inside the same transaction.
-- volume_figures: one volume row with what its saving depends on, resolved from the current
-- price, product and region tree (the fund share is the row's override, else the nearest
-- region up to two levels above that has one).
CREATE VIEW `volume_figures` AS
SELECT v.id AS volume_id, v.price_id, p.batch_id, v.region_code, v.month, v.units,
  COALESCE(v.amount_paid_e4, 0) AS amount_paid_e4,
  CASE WHEN pr.package_qty > 0 THEN pr.package_qty ELSE 1 END AS divisor,
  CASE WHEN p.reference_price_e4 > 0 THEN p.reference_price_e4 - p.chosen_price_e4 ELSE 0 END AS saving_per_package,
  COALESCE(v.fund_share_bp, r0.fund_share_bp, r1.fund_share_bp, r2.fund_share_bp) AS share_bp
FROM volumes v
JOIN prices p ON p.id = v.price_id
JOIN products pr ON pr.id = p.product_id
LEFT JOIN regions r0 ON r0.code = v.region_code
LEFT JOIN regions r1 ON r1.code = r0.parent_code
LEFT JOIN regions r2 ON r2.code = r1.parent_code;
--> statement-breakpoint
-- volume_parts: what one volume adds to the rollups. Whole packages give an integer numerator
-- (divisor 1); units left over from a partly bought package keep their divisor (packageQty), so
-- sums stay exact integers. Fund parts are numerator × share as hi × 10^6 + lo.
CREATE VIEW `volume_parts` AS
SELECT volume_id, price_id, batch_id, region_code, month, 1 AS divisor, 1 AS parts, 1 AS volume_rows,
  units AS units, amount_paid_e4 AS amount_paid_e4, saving_per_package * (units / divisor) AS spend_num,
  CASE WHEN share_bp IS NULL THEN 0 ELSE (saving_per_package * (units / divisor) / 1000000) * share_bp END AS fund_hi,
  CASE WHEN share_bp IS NULL THEN 0 ELSE (saving_per_package * (units / divisor) % 1000000) * share_bp END AS fund_lo,
  CASE WHEN share_bp IS NULL THEN saving_per_package * (units / divisor) ELSE 0 END AS unshared_num
FROM volume_figures
UNION ALL
SELECT volume_id, price_id, batch_id, region_code, month, divisor AS divisor, 1 AS parts, 0 AS volume_rows,
  0 AS units, 0 AS amount_paid_e4, saving_per_package * (units % divisor) AS spend_num,
  CASE WHEN share_bp IS NULL THEN 0 ELSE (saving_per_package * (units % divisor) / 1000000) * share_bp END AS fund_hi,
  CASE WHEN share_bp IS NULL THEN 0 ELSE (saving_per_package * (units % divisor) % 1000000) * share_bp END AS fund_lo,
  CASE WHEN share_bp IS NULL THEN saving_per_package * (units % divisor) ELSE 0 END AS unshared_num
FROM volume_figures WHERE units % divisor <> 0;
--> statement-breakpoint
-- Volumes: add a row's parts after it is written, take them away before it changes or goes.
CREATE TRIGGER `volumes_rollup_after_insert` AFTER INSERT ON `volumes` BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num FROM volume_parts WHERE volume_id = NEW.id
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `purchase_rollup_price_region` (price_id, region_code, units, volume_rows) VALUES (NEW.price_id, NEW.region_code, NEW.units, 1)
  ON CONFLICT (price_id, region_code) DO UPDATE SET units = units + excluded.units, volume_rows = volume_rows + excluded.volume_rows;
END;
--> statement-breakpoint
CREATE TRIGGER `volumes_rollup_before_update` BEFORE UPDATE ON `volumes` BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, -parts, -volume_rows, -units, -amount_paid_e4, -spend_num, -fund_hi, -fund_lo, -unshared_num FROM volume_parts WHERE volume_id = OLD.id
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `purchase_rollup_price_region` (price_id, region_code, units, volume_rows) VALUES (OLD.price_id, OLD.region_code, -OLD.units, -1)
  ON CONFLICT (price_id, region_code) DO UPDATE SET units = units + excluded.units, volume_rows = volume_rows + excluded.volume_rows;
END;
--> statement-breakpoint
CREATE TRIGGER `volumes_rollup_after_update` AFTER UPDATE ON `volumes` BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num FROM volume_parts WHERE volume_id = NEW.id
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `purchase_rollup_price_region` (price_id, region_code, units, volume_rows) VALUES (NEW.price_id, NEW.region_code, NEW.units, 1)
  ON CONFLICT (price_id, region_code) DO UPDATE SET units = units + excluded.units, volume_rows = volume_rows + excluded.volume_rows;
END;
--> statement-breakpoint
CREATE TRIGGER `volumes_rollup_before_delete` BEFORE DELETE ON `volumes` BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, -parts, -volume_rows, -units, -amount_paid_e4, -spend_num, -fund_hi, -fund_lo, -unshared_num FROM volume_parts WHERE volume_id = OLD.id
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `purchase_rollup_price_region` (price_id, region_code, units, volume_rows) VALUES (OLD.price_id, OLD.region_code, -OLD.units, -1)
  ON CONFLICT (price_id, region_code) DO UPDATE SET units = units + excluded.units, volume_rows = volume_rows + excluded.volume_rows;
END;
--> statement-breakpoint
-- The coarse rollups (no region; no batch) follow every change of the fine one.
CREATE TRIGGER `savings_rollup_brm_after_insert` AFTER INSERT ON `savings_rollup_batch_region_month` BEGIN
  INSERT INTO `savings_rollup_batch_month` (batch_id, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.batch_id, NEW.month, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (batch_id, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region_month` (region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.month, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `savings_rollup_brm_after_update` AFTER UPDATE ON `savings_rollup_batch_region_month` BEGIN
  INSERT INTO `savings_rollup_batch_month` (batch_id, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.batch_id, NEW.month, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (batch_id, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region_month` (region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.month, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `savings_rollup_brm_after_delete` AFTER DELETE ON `savings_rollup_batch_region_month` BEGIN
  INSERT INTO `savings_rollup_batch_month` (batch_id, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.batch_id, OLD.month, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (batch_id, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region_month` (region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.region_code, OLD.month, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
-- A corrected price, package size or fund share re-prices the volumes that depend on it:
-- their old parts leave before the change and their new parts arrive after it.
CREATE TRIGGER `prices_rollup_before_update` BEFORE UPDATE OF chosen_price_e4, reference_price_e4 ON `prices` WHEN OLD.chosen_price_e4 IS NOT NEW.chosen_price_e4 OR OLD.reference_price_e4 IS NOT NEW.reference_price_e4 BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, -SUM(parts), -SUM(volume_rows), -SUM(units), -SUM(amount_paid_e4), -SUM(spend_num), -SUM(fund_hi), -SUM(fund_lo), -SUM(unshared_num) FROM volume_parts WHERE price_id = OLD.id GROUP BY batch_id, region_code, month, divisor
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `prices_rollup_after_update` AFTER UPDATE OF chosen_price_e4, reference_price_e4 ON `prices` WHEN OLD.chosen_price_e4 IS NOT NEW.chosen_price_e4 OR OLD.reference_price_e4 IS NOT NEW.reference_price_e4 BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, SUM(parts), SUM(volume_rows), SUM(units), SUM(amount_paid_e4), SUM(spend_num), SUM(fund_hi), SUM(fund_lo), SUM(unshared_num) FROM volume_parts WHERE price_id = NEW.id GROUP BY batch_id, region_code, month, divisor
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `products_rollup_before_update` BEFORE UPDATE OF package_qty ON `products` WHEN OLD.package_qty IS NOT NEW.package_qty BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, -SUM(parts), -SUM(volume_rows), -SUM(units), -SUM(amount_paid_e4), -SUM(spend_num), -SUM(fund_hi), -SUM(fund_lo), -SUM(unshared_num) FROM volume_parts WHERE price_id IN (SELECT id FROM prices WHERE product_id = OLD.id) GROUP BY batch_id, region_code, month, divisor
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `products_rollup_after_update` AFTER UPDATE OF package_qty ON `products` WHEN OLD.package_qty IS NOT NEW.package_qty BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, SUM(parts), SUM(volume_rows), SUM(units), SUM(amount_paid_e4), SUM(spend_num), SUM(fund_hi), SUM(fund_lo), SUM(unshared_num) FROM volume_parts WHERE price_id IN (SELECT id FROM prices WHERE product_id = NEW.id) GROUP BY batch_id, region_code, month, divisor
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `regions_rollup_before_update` BEFORE UPDATE OF fund_share_bp, parent_code ON `regions` WHEN OLD.fund_share_bp IS NOT NEW.fund_share_bp OR OLD.parent_code IS NOT NEW.parent_code BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, -SUM(parts), -SUM(volume_rows), -SUM(units), -SUM(amount_paid_e4), -SUM(spend_num), -SUM(fund_hi), -SUM(fund_lo), -SUM(unshared_num) FROM volume_parts WHERE region_code IN (SELECT code FROM regions WHERE code = OLD.code OR parent_code = OLD.code OR parent_code IN (SELECT code FROM regions WHERE parent_code = OLD.code)) GROUP BY batch_id, region_code, month, divisor
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `regions_rollup_after_update` AFTER UPDATE OF fund_share_bp, parent_code ON `regions` WHEN OLD.fund_share_bp IS NOT NEW.fund_share_bp OR OLD.parent_code IS NOT NEW.parent_code BEGIN
  INSERT INTO `savings_rollup_batch_region_month` (batch_id, region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  SELECT batch_id, region_code, month, divisor, SUM(parts), SUM(volume_rows), SUM(units), SUM(amount_paid_e4), SUM(spend_num), SUM(fund_hi), SUM(fund_lo), SUM(unshared_num) FROM volume_parts WHERE region_code IN (SELECT code FROM regions WHERE code = NEW.code OR parent_code = NEW.code OR parent_code IN (SELECT code FROM regions WHERE parent_code = NEW.code)) GROUP BY batch_id, region_code, month, divisor
  ON CONFLICT (batch_id, region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;

-- The rollups without a month (batch × region, batch, region) and the month-only one answer every
-- savings question without a date filter (and by month without other filters) from a few hundred
-- rows instead of tens of thousands. Like the month rollups, they follow every change of the fine
-- rollup (savings_rollup_batch_region_month), so these triggers replace the ones of
-- 0003_savings_rollup_triggers.sql with versions that feed all six coarse rollups in one step.
DROP TRIGGER IF EXISTS `savings_rollup_brm_after_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `savings_rollup_brm_after_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `savings_rollup_brm_after_delete`;
--> statement-breakpoint
-- Databases that already hold volumes: fill the new rollups from the fine one.
INSERT INTO `savings_rollup_batch_region` (region_code, batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
SELECT region_code, batch_id, divisor, SUM(parts), SUM(volume_rows), SUM(units), SUM(amount_paid_e4), SUM(spend_num), SUM(fund_hi), SUM(fund_lo), SUM(unshared_num) FROM `savings_rollup_batch_region_month` GROUP BY region_code, batch_id, divisor;
--> statement-breakpoint
INSERT INTO `savings_rollup_batch` (batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
SELECT batch_id, divisor, SUM(parts), SUM(volume_rows), SUM(units), SUM(amount_paid_e4), SUM(spend_num), SUM(fund_hi), SUM(fund_lo), SUM(unshared_num) FROM `savings_rollup_batch_region_month` GROUP BY batch_id, divisor;
--> statement-breakpoint
INSERT INTO `savings_rollup_region` (region_code, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
SELECT region_code, divisor, SUM(parts), SUM(volume_rows), SUM(units), SUM(amount_paid_e4), SUM(spend_num), SUM(fund_hi), SUM(fund_lo), SUM(unshared_num) FROM `savings_rollup_batch_region_month` GROUP BY region_code, divisor;
--> statement-breakpoint
INSERT INTO `savings_rollup_month` (month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
SELECT month, divisor, SUM(parts), SUM(volume_rows), SUM(units), SUM(amount_paid_e4), SUM(spend_num), SUM(fund_hi), SUM(fund_lo), SUM(unshared_num) FROM `savings_rollup_batch_region_month` GROUP BY month, divisor;
--> statement-breakpoint
CREATE TRIGGER `savings_rollup_brm_after_insert` AFTER INSERT ON `savings_rollup_batch_region_month` BEGIN
  INSERT INTO `savings_rollup_batch_month` (batch_id, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.batch_id, NEW.month, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (batch_id, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region_month` (region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.month, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_batch_region` (region_code, batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.batch_id, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (region_code, batch_id, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_batch` (batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.batch_id, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (batch_id, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region` (region_code, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (region_code, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_month` (month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.month, NEW.divisor, NEW.parts, NEW.volume_rows, NEW.units, NEW.amount_paid_e4, NEW.spend_num, NEW.fund_hi, NEW.fund_lo, NEW.unshared_num)
  ON CONFLICT (month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `savings_rollup_brm_after_update` AFTER UPDATE ON `savings_rollup_batch_region_month` BEGIN
  INSERT INTO `savings_rollup_batch_month` (batch_id, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.batch_id, NEW.month, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (batch_id, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region_month` (region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.month, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_batch_region` (region_code, batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.batch_id, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (region_code, batch_id, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_batch` (batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.batch_id, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (batch_id, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region` (region_code, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.region_code, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (region_code, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_month` (month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (NEW.month, NEW.divisor, NEW.parts - OLD.parts, NEW.volume_rows - OLD.volume_rows, NEW.units - OLD.units, NEW.amount_paid_e4 - OLD.amount_paid_e4, NEW.spend_num - OLD.spend_num, NEW.fund_hi - OLD.fund_hi, NEW.fund_lo - OLD.fund_lo, NEW.unshared_num - OLD.unshared_num)
  ON CONFLICT (month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;
--> statement-breakpoint
CREATE TRIGGER `savings_rollup_brm_after_delete` AFTER DELETE ON `savings_rollup_batch_region_month` BEGIN
  INSERT INTO `savings_rollup_batch_month` (batch_id, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.batch_id, OLD.month, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (batch_id, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region_month` (region_code, month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.region_code, OLD.month, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (region_code, month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_batch_region` (region_code, batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.region_code, OLD.batch_id, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (region_code, batch_id, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_batch` (batch_id, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.batch_id, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (batch_id, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_region` (region_code, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.region_code, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (region_code, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
  INSERT INTO `savings_rollup_month` (month, divisor, parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num)
  VALUES (OLD.month, OLD.divisor, -OLD.parts, -OLD.volume_rows, -OLD.units, -OLD.amount_paid_e4, -OLD.spend_num, -OLD.fund_hi, -OLD.fund_lo, -OLD.unshared_num)
  ON CONFLICT (month, divisor) DO UPDATE SET parts = parts + excluded.parts, volume_rows = volume_rows + excluded.volume_rows, units = units + excluded.units, amount_paid_e4 = amount_paid_e4 + excluded.amount_paid_e4, spend_num = spend_num + excluded.spend_num, fund_hi = fund_hi + excluded.fund_hi, fund_lo = fund_lo + excluded.fund_lo, unshared_num = unshared_num + excluded.unshared_num;
END;

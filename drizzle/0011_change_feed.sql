-- The change feed (updatedSince on prices and products) reads what changed since a stamp, and the
-- prices whose cycle ended since a day: indexes so a nightly sync costs what changed, not a scan.
CREATE INDEX IF NOT EXISTS `prices_updated_idx` ON `prices` (`updated_at`, `id`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `prices_cycle_end_idx` ON `prices` (`cycle_end`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `products_updated_idx` ON `products` (`updated_at`, `id`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `batches_cycle_end_idx` ON `batches` (`cycle_end`);
--> statement-breakpoint
-- When the data last changed, for Last-Modified: stamped by the database itself in the same write
-- that bumps data_version (every import does), so no writer can forget it.
CREATE TRIGGER `app_meta_data_changed_ai` AFTER INSERT ON `app_meta` WHEN new.key = 'data_version' BEGIN
	INSERT INTO app_meta (key, value) VALUES ('data_changed_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
		ON CONFLICT(key) DO UPDATE SET value = excluded.value;
END;
--> statement-breakpoint
CREATE TRIGGER `app_meta_data_changed_au` AFTER UPDATE OF `value` ON `app_meta` WHEN new.key = 'data_version' BEGIN
	INSERT INTO app_meta (key, value) VALUES ('data_changed_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
		ON CONFLICT(key) DO UPDATE SET value = excluded.value;
END;

-- Lists sorted by reduction walk an index in the sort's own order (src/services/price-listing.ts):
-- a missing reduction sorts last both ways, so each direction has its expression.
CREATE INDEX `prices_discount_sort_idx` ON `prices` (COALESCE(`discount_bp`, 1000000000), `id`);
--> statement-breakpoint
CREATE INDEX `prices_discount_sort_desc_idx` ON `prices` (COALESCE(`discount_bp`, -1000000000), `id`);

-- Counts under a minimum reduction inside a band of search_cells (61.81 %, src/services/search.ts):
-- the whole bands above are summed from the cells, and the prices from the minimum to the band's end
-- are counted through these, a group's prices in reduction order, instead of reading the whole group.
CREATE INDEX `price_search_name_discount_idx` ON `price_search` (`name_id`,`batch_id`,`cycle_start`,`cycle_end`,`discount_bp`,`price_id`,`category`,`unit_price_e4`,`variant_id`,`firm_id`,`product_id`,`region_mask`,`regions`);--> statement-breakpoint
CREATE INDEX `price_search_firm_discount_idx` ON `price_search` (`firm_id`,`batch_id`,`cycle_start`,`cycle_end`,`discount_bp`,`price_id`,`category`,`unit_price_e4`,`variant_id`,`name_id`,`product_id`,`region_mask`,`regions`);
-- synthetic= picks whole batches (src/services/price-filter.ts): whether a batch holds demo or real
-- prices is two probes of this index, not a read of every price.
CREATE INDEX `prices_batch_synthetic_idx` ON `prices` (`batch_id`, `synthetic`);

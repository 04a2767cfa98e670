import { uploadLimit } from "../middleware/upload-limit";

/**
 * The pages' forms (the import page reads its form into memory): PAGE_UPLOAD_LIMIT_MB, with room for a
 * file carried base64-encoded; the API's own limit where no page limit is set (Workers).
 */
export const uploadBodyLimit = uploadLimit({
  limitOf: (deps) => deps.pageUploadLimitBytes ?? deps.importBodyLimitBytes,
  allowance: (limit) => Math.ceil(limit * 1.4) + 65_536,
  message: (mb) => `文件超过了 ${mb} MB 的上限`,
});

/** The price-check page takes a purchase list: the price check's own, smaller limit. */
export const priceCheckPageLimit = uploadLimit({
  limitOf: (deps) => deps.priceCheckBodyLimitBytes ?? deps.importBodyLimitBytes,
  allowance: (limit) => limit + 65_536,
  message: (mb) => `采购清单超过了 ${mb} MB 的上限`,
});

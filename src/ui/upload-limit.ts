import { uploadLimit } from "../middleware/upload-limit";

/** The API's upload size limit for the pages' forms, with room for a file carried base64-encoded. */
export const uploadBodyLimit = uploadLimit({
  allowance: (limit) => Math.ceil(limit * 1.4) + 65_536,
  message: (mb) => `文件超过了 ${mb} MB 的上限`,
});

/** The price-check page takes a purchase list: the price check's own, smaller limit. */
export const priceCheckPageLimit = uploadLimit({
  limitOf: (deps) => deps.priceCheckBodyLimitBytes ?? deps.importBodyLimitBytes,
  allowance: (limit) => limit + 65_536,
  message: (mb) => `采购清单超过了 ${mb} MB 的上限`,
});

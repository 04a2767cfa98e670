/**
 * Where ranked search switches from one way of reading to another. Every way gives the same answer;
 * these only decide which is cheaper. Tests lower them so that a fixture of a few dozen prices takes
 * the paths a million prices take (test/search/broad-match.test.ts).
 */
export type SearchTuning = {
  /**
   * Above this many products a code match stays a subquery (or a start of a code) instead of a list
   * of ids. A start held by some hundreds of products was faster read as a start, whose groups and
   * range are kept, than as a list of ids repeated in each statement (`q=SYND0000056&limit=100` at a
   * million prices: 10.3 ms with 1,000 here, 4.9 with 100; `q=SYND0000132` 8.2 → 3.1).
   */
  maxCodeIds: number;
  /** Above this many group ranges, one key is read through one IN list (a sort) rather than one range each. */
  maxRangesPerKey: number;
  /**
   * Above this many matched firms their groups are summed per batch and cycle and read as one set
   * (演示, 制药: hundreds of firms, thousands of groups); up to it each firm's groups stay ranges of
   * their own, which a page reads n prices from each when that is fewer than the whole set
   * (材料有限: 60 firms, 22,000 prices at a million).
   */
  maxFirmRanges: number;
  /**
   * The most prices one page may step through in global unit-price order (prices_unit_price_idx)
   * for a key that holds a large share of all prices (演示, 制药, SYND00001): 0.3–1 µs each.
   */
  maxScanWindow: number;
  /**
   * How many times the expected number of steps (page size × all prices / the key's prices) the
   * window allows, since prices of a key need not be spread evenly over the unit-price order; when
   * the window ends before the page is full, the page is read the other way.
   */
  scanSlack: number;
  /**
   * Above this many matched groups a listing reads its matched set through one IN list and sorts it,
   * rather than one range of its group's index each (SQLite allows 500 terms in a compound SELECT).
   */
  maxGroupArms: number;
  /**
   * What one more arm of a union costs beyond its rows, in rows read: its seek and its share of
   * parsing the statement (60 arms took 1.1 ms to prepare; at a million prices a row is read in about 0.33 µs).
   */
  armCostRows: number;
  /**
   * From this many group ranges, a page reads them as one arm (group-arms.ts: their keys as a list,
   * one correlated read each) instead of one SELECT each, whose text and planning grow with the ranges
   * and repeat the filters in each (ten groups under a firm fragment and a province: 18.7 KB, 3.5 ms
   * to prepare, against 6.5 KB and 1.3 ms as one arm). Over the varied bench's 298 queries at a
   * million prices, from 2 rather than 8 prepared in 206 ms against 221 in all, the same answers.
   */
  groupsArmFrom: number;
  /**
   * Up to this many groups, a page's first prices in unit-price order (or a listing's by reduction)
   * may be read as one compound SELECT that SQLite merges (group-arms.ts), rather than each group's
   * first n sorted together (or every price of each). Its text repeats the filters in every group's
   * term; on D1, which allows five terms, at most five.
   */
  maxMergeArms: number;
  /**
   * Up to this many prices a start of one code column is read as one range of search_code_prices
   * (about 0.15 µs a price) rather than first looked for in the global unit-price order.
   */
  maxCodeRangeRows: number;
  /**
   * From this many prices a start of one code column is first read in unit-price order
   * (search_code_prices_price_idx) within a bounded window, and its range only when that window ends
   * short: a range is read whole and sorted, about 0.4 µs a row, the window at about 0.2 µs and
   * stopping at the page's last price.
   */
  codeScanFromRows: number;
};

export const DEFAULT_SEARCH_TUNING: SearchTuning = {
  maxCodeIds: 100,
  maxRangesPerKey: 48,
  maxFirmRanges: 100,
  maxScanWindow: 30000,
  scanSlack: 4,
  maxGroupArms: 400,
  armCostRows: 50,
  groupsArmFrom: 2,
  maxMergeArms: 64,
  maxCodeRangeRows: 40000,
  codeScanFromRows: 8000,
};

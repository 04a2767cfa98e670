import type { ReferenceKind } from "./stats.js";

/** What a batch's published 平均降幅 was measured against, as its source states it. */
export type PublishedBaseline = {
  baseline: ReferenceKind;
  /** The source's own words for the baseline, in short. */
  statedAs: string;
  source: string;
};

/**
 * The baseline of each published mean reduction whose source says it. National batches publish
 * their 平均降幅 against prices before procurement (the lowest or usual purchase price of earlier
 * years), not against the batch's ceiling bid (最高有效申报价), so a mean computed against ceilings
 * is not the published figure's like. Batches not listed: the source does not say (null in the API).
 */
export const PUBLISHED_MEAN_BASELINES: Readonly<Record<string, PublishedBaseline>> = {
  "national-drug-1": {
    baseline: "pre_vbp",
    statedAs: "与试点城市2017年同种药品最低采购价相比，拟中选价平均降幅52%",
    source: "Xinhua via nbd.com.cn 2018-12-09 (www.nbd.com.cn/articles/2018-12-09/1280199.html)",
  },
  "national-drug-1-expansion": {
    baseline: "pre_vbp",
    statedAs: "与联盟地区2018年同种药品最低采购价相比，拟中选价平均降幅59%",
    source: "the results announced 2019-09-24, as reported by Xinhua (jjtgw.cn); seeds/batches.csv names the same",
  },
  "national-drug-3": {
    baseline: "pre_vbp",
    statedAs: '"53 percent cheaper than normal" for the public health facilities that buy them',
    source: "english.www.gov.cn 2020-08-21, citing the National Healthcare Security Administration",
  },
  "national-drug-4": {
    baseline: "pre_vbp",
    statedAs: "an average reduction of 52 %, illustrated as the fall from the price before (esomeprazole 9 → 3 yuan a tablet)",
    source: "report of the bid opening of 2021-02-03 (yyoutdoors.com, translated from the NHSA announcement)",
  },
  "national-device-stent": {
    baseline: "pre_vbp",
    statedAs: '"average price down by 93 percent from about 13,000 yuan to roughly 700 yuan"',
    source: "english.scio.gov.cn 2020-11-20, National Healthcare Security Administration press conference",
  },
};

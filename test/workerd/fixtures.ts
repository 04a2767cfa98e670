/** A small prices file for national-drug-4 (a seeded batch) with several statins from two firms. */
export const STATIN_PRICES_CSV = [
  "批次,药品通用名,剂型,规格,包装,中选企业,中选价格（元）,集采前价格,供应地区",
  "national-drug-4,阿托伐他汀钙片,片剂,20mg,7片/盒,甲制药有限公司,5.60,70.00,北京市",
  "national-drug-4,阿托伐他汀钙片,片剂,20mg,14片/盒,乙药业股份有限公司,9.80,140.00,天津市",
  "national-drug-4,瑞舒伐他汀钙片,片剂,10mg,28片/盒,乙药业股份有限公司,12.32,300.00,北京市、天津市",
  "national-drug-4,氨氯地平片,片剂,5mg,28片/盒,甲制药有限公司,4.48,40.00,",
].join("\n");

/**
 * Analysts' tables fuse the national dosage-form group into the generic name (阿比特龙口服常释剂型,
 * sometimes with the strength after it: 替格瑞洛口服常释剂型 60mg). Split off the group so the
 * product has its generic name and form like any other file's.
 */
const FORM_GROUPS = ["口服常释剂型", "缓释控释剂型", "口服液体剂", "口服散剂", "颗粒剂", "注射剂", "吸入剂", "滴眼剂", "咀嚼片", "口腔崩解片"];

export function splitFusedForm(name: string): { genericName: string; dosageForm: string } | null {
  for (const form of FORM_GROUPS) {
    const at = name.indexOf(form);
    if (at <= 0) continue;
    const after = name.slice(at + form.length).trim();
    // Only a strength may follow the form (60mg, 0.1%), nothing else.
    if (after !== "" && !/^[\d.]+\s*(mg|g|μg|ug|ml|%|iu|万iu|u)$/i.test(after)) continue;
    return { genericName: name.slice(0, at).trim(), dosageForm: form };
  }
  return null;
}

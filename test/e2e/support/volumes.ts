/**
 * Purchased volumes for the three real seed prices, a year of months in the regions their
 * articles name, so the 节约 page has realized savings by region and by month to show.
 * Quantities are invented for the test (smallest units = packages here: the seeds give no size).
 */
export function seedVolumesCsv(): string {
  const lines = ["批次,通用名,剂型,地区,月份,采购量,采购金额"];
  const months = Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(2021, 6 + i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
  months.forEach((month, i) => {
    const stents = 8 + (i % 4);
    lines.push(`national-device-stent,冠脉支架,,乌海市,${month},${stents},${stents * 700}`);
    if (i % 2 === 0) lines.push(`national-device-stent,冠脉支架,,阿拉善盟,${month},${3 + (i % 3)},${(3 + (i % 3)) * 700}`);
    if (i % 3 === 0) lines.push(`national-device-joint,人工膝关节,,阿拉善盟,${month},${2 + (i % 2)},${(2 + (i % 2)) * 7321}`);
    const boxes = 900 + 40 * i;
    lines.push(`national-drug-1,阿托伐他汀钙片,片剂,大同市,${month},${boxes},${(boxes * 36) / 10}`);
  });
  return `${lines.join("\n")}\n`;
}

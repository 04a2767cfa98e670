/**
 * The one list of drug-name readings pinyin-pro gets wrong (its dictionary follows everyday usage,
 * pharmacopoeia names do not). Keys are whole words so a character keeps its ordinary reading
 * elsewhere: 重 is chóng only in 重组 and 重酒石酸, 参 is shēn only in the herbs named here.
 * Readings are toneless, syllables separated by spaces; add a line here, never a special case in code.
 */
export const PINYIN_OVERRIDES: Readonly<Record<string, string>> = {
  阿胶: "e jiao",
  重组: "chong zu",
  重酒石酸: "chong jiu shi suan",
  脯氨酸: "fu an suan",
  枸橼: "ju yuan",
  苦参: "ku shen",
  玄参: "xuan shen",
  沙参: "sha shen",
  太子参: "tai zi shen",
  参芪: "shen qi",
};

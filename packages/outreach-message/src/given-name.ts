/**
 * Chinese compound (two-character) surnames, simplified and traditional forms, from the
 * Hundred Family Surnames and common use. A name of three or more Han characters that starts
 * with one of them has a given name after its first two characters; any other Han name after
 * its first character.
 */
export const CHINESE_COMPOUND_SURNAMES: readonly string[] = Object.freeze([
  "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
  "令狐", "夏侯", "轩辕", "端木", "申屠", "独孤", "南宫", "万俟", "闻人", "赫连", "澹台", "濮阳",
  "太史", "呼延", "拓跋", "西门", "百里", "东郭", "南门", "羊舌", "微生", "公冶", "公羊", "司空",
  "司寇", "鲜于", "闾丘", "亓官", "巫马", "漆雕", "颛孙", "壤驷", "谷梁", "宰父", "夹谷", "子车",
  "左丘", "钟离", "第五", "公西", "公良", "乐正",
  "歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "獨孤", "南宮", "萬俟", "聞人",
  "赫連", "澹臺", "濮陽", "鮮于", "閭丘", "顓孫", "壤駟", "穀梁", "夾谷", "子車", "鍾離", "東郭",
  "南門", "西門", "樂正",
]);

const COMPOUND = new Set(CHINESE_COMPOUND_SURNAMES);
const HAN_NAME = /^[\p{Script=Han}\s·•・]+$/u;
const DOT = /[·•・]/u;
// Zero-width (non-)joiners are kept: some scripts spell names with them.
const NOT_PRINTABLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * The given name to greet a member by, from the full name as stored. Chinese names (Han
 * characters only) are written surname first: the given name is what follows the surname,
 * compound surnames included (欧阳修 -> 修, 王小明 -> 小明); a name of one character stays as is; a
 * transliterated name with a middle dot (约翰·史密斯) gives its first part. Any other name gives its
 * first word (Mary-Jane O'Neil -> Mary-Jane). Control and format characters become spaces.
 */
export function givenName(fullName: string): string {
  const name = fullName.replace(NOT_PRINTABLE, " ").replace(/\s+/g, " ").trim();
  if (name === "") return "";
  if (HAN_NAME.test(name)) {
    if (DOT.test(name)) return (name.split(DOT)[0] ?? "").replace(/\s/g, "") || name;
    const chars = Array.from(name.replace(/\s/g, ""));
    if (chars.length <= 1) return chars.join("");
    const surname = chars.length >= 3 && COMPOUND.has(chars.slice(0, 2).join("")) ? 2 : 1;
    return chars.slice(surname).join("");
  }
  return name.split(" ")[0] ?? name;
}

import { describe, expect, it } from "vitest";
import { CHINESE_COMPOUND_SURNAMES, givenName } from "./given-name.js";

describe("givenName", () => {
  it("drops a single-character Chinese surname", () => {
    expect(givenName("王小明")).toBe("小明");
    expect(givenName("张三")).toBe("三");
    expect(givenName("李 娜")).toBe("娜");
  });

  it("drops a compound Chinese surname, simplified or traditional", () => {
    for (const [full, given] of [
      ["欧阳修", "修"],
      ["司马相如", "相如"],
      ["诸葛亮", "亮"],
      ["上官婉儿", "婉儿"],
      ["慕容复", "复"],
      ["令狐冲", "冲"],
      ["歐陽娜娜", "娜娜"],
      ["司馬光", "光"],
    ] as const) {
      expect(givenName(full), full).toBe(given);
    }
  });

  it("lists each of the issue's compound surnames once", () => {
    const issue = "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 申屠 独孤 南宫".split(" ");
    for (const surname of issue) expect(CHINESE_COMPOUND_SURNAMES).toContain(surname);
    expect(new Set(CHINESE_COMPOUND_SURNAMES).size).toBe(CHINESE_COMPOUND_SURNAMES.length);
  });

  it("reads a two-character name starting like a compound surname as surname + given name", () => {
    expect(givenName("欧阳")).toBe("阳");
  });

  it("keeps a single-character name as it is", () => {
    expect(givenName("王")).toBe("王");
    expect(givenName(" 𠀀 ")).toBe("𠀀");
  });

  it("gives the first part of a transliterated name written with a middle dot", () => {
    expect(givenName("约翰·史密斯")).toBe("约翰");
  });

  it("gives the first word of a name in Latin script", () => {
    expect(givenName("John Smith")).toBe("John");
    expect(givenName("  Mary-Jane   O'Neil ")).toBe("Mary-Jane");
    expect(givenName("Zoë")).toBe("Zoë");
    expect(givenName("Lily 王")).toBe("Lily");
  });

  it("turns control characters and line breaks into spaces and gives nothing for a blank name", () => {
    expect(givenName("Ann\nLee")).toBe("Ann");
    expect(givenName("王\u0000小明")).toBe("小明");
    expect(givenName("   ")).toBe("");
  });
});

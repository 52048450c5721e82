/**
 * Name parts with their pinyin (for e-mail local parts). Surname weights are rough shares of the
 * population in per mille, after the 2020 census rankings; the southern table boosts the surnames
 * that lead in Guangdong, Guangxi and Hainan so that names fit the member's region.
 */

/** [characters, pinyin, weight] */
export type Surname = readonly [string, string, number];

export const SURNAMES: readonly Surname[] = [
  ["王", "wang", 71], ["李", "li", 70], ["张", "zhang", 66], ["刘", "liu", 54], ["陈", "chen", 46],
  ["杨", "yang", 31], ["黄", "huang", 25], ["赵", "zhao", 23], ["吴", "wu", 20], ["周", "zhou", 19],
  ["徐", "xu", 15], ["孙", "sun", 15], ["马", "ma", 13], ["朱", "zhu", 13], ["胡", "hu", 12],
  ["郭", "guo", 11], ["何", "he", 11], ["林", "lin", 11], ["高", "gao", 11], ["罗", "luo", 9],
  ["郑", "zheng", 8], ["梁", "liang", 8], ["谢", "xie", 7], ["宋", "song", 7], ["唐", "tang", 7],
  ["许", "xu", 6], ["韩", "han", 6], ["冯", "feng", 6], ["邓", "deng", 6], ["曹", "cao", 6],
  ["彭", "peng", 5], ["曾", "zeng", 5], ["肖", "xiao", 5], ["田", "tian", 5], ["董", "dong", 5],
  ["袁", "yuan", 4], ["潘", "pan", 4], ["于", "yu", 4], ["蒋", "jiang", 4], ["蔡", "cai", 4],
  ["余", "yu", 4], ["杜", "du", 4], ["叶", "ye", 4], ["程", "cheng", 4], ["苏", "su", 3],
  ["魏", "wei", 3], ["吕", "lv", 3], ["丁", "ding", 3], ["任", "ren", 3], ["沈", "shen", 3],
  ["姚", "yao", 3], ["卢", "lu", 3], ["姜", "jiang", 3], ["崔", "cui", 3], ["钟", "zhong", 3],
  ["谭", "tan", 3], ["陆", "lu", 3], ["汪", "wang", 3], ["范", "fan", 3], ["金", "jin", 3],
  ["石", "shi", 3], ["廖", "liao", 3], ["贾", "jia", 3], ["夏", "xia", 3], ["韦", "wei", 2],
  ["付", "fu", 2], ["方", "fang", 2], ["白", "bai", 2], ["邹", "zou", 2], ["孟", "meng", 2],
  ["熊", "xiong", 2], ["秦", "qin", 2], ["邱", "qiu", 2], ["江", "jiang", 2], ["尹", "yin", 2],
  ["薛", "xue", 2], ["闫", "yan", 2], ["段", "duan", 2], ["雷", "lei", 2], ["侯", "hou", 2],
  ["龙", "long", 2], ["史", "shi", 2], ["陶", "tao", 2], ["黎", "li", 2], ["贺", "he", 2],
  ["顾", "gu", 2], ["毛", "mao", 2], ["郝", "hao", 2], ["龚", "gong", 2], ["邵", "shao", 2],
  ["万", "wan", 2], ["钱", "qian", 2], ["严", "yan", 2], ["覃", "qin", 2], ["武", "wu", 2],
  ["戴", "dai", 2], ["莫", "mo", 2], ["孔", "kong", 2], ["向", "xiang", 2], ["汤", "tang", 2],
  ["欧阳", "ouyang", 0.5], ["司马", "sima", 0.1], ["诸葛", "zhuge", 0.1], ["上官", "shangguan", 0.1],
];

const SOUTHERN_BOOST: Readonly<Record<string, number>> = {
  陈: 3, 黄: 2.5, 林: 2.5, 梁: 3, 李: 1.3, 罗: 1.8, 何: 1.6, 吴: 1.5, 韦: 4, 覃: 4, 莫: 3, 冯: 1.5, 钟: 1.8,
};

export const SOUTHERN_SURNAMES: readonly Surname[] = SURNAMES.map(
  ([chars, pinyin, weight]) => [chars, pinyin, weight * (SOUTHERN_BOOST[chars] ?? 1)] as const,
);

/** [character, pinyin] */
export type GivenNameChar = readonly [string, string];

/** Characters common in names given before the 1980s (建国, 秀英, 桂兰...). */
export const CLASSIC_FEMALE: readonly GivenNameChar[] = [
  ["秀", "xiu"], ["英", "ying"], ["兰", "lan"], ["桂", "gui"], ["芳", "fang"], ["霞", "xia"],
  ["华", "hua"], ["珍", "zhen"], ["玉", "yu"], ["凤", "feng"], ["梅", "mei"], ["红", "hong"],
  ["丽", "li"], ["琴", "qin"], ["云", "yun"], ["萍", "ping"], ["敏", "min"], ["静", "jing"],
  ["燕", "yan"], ["艳", "yan"], ["娟", "juan"], ["春", "chun"], ["芬", "fen"], ["玲", "ling"],
];

export const CLASSIC_MALE: readonly GivenNameChar[] = [
  ["建", "jian"], ["国", "guo"], ["华", "hua"], ["明", "ming"], ["伟", "wei"], ["军", "jun"],
  ["平", "ping"], ["强", "qiang"], ["勇", "yong"], ["志", "zhi"], ["刚", "gang"], ["文", "wen"],
  ["海", "hai"], ["林", "lin"], ["东", "dong"], ["斌", "bin"], ["成", "cheng"], ["德", "de"],
  ["福", "fu"], ["永", "yong"], ["民", "min"], ["庆", "qing"], ["荣", "rong"], ["兵", "bing"],
];

/** Characters common in names given since the 1990s (子涵, 梓轩, 雨萱...). */
export const MODERN_FEMALE: readonly GivenNameChar[] = [
  ["梓", "zi"], ["子", "zi"], ["涵", "han"], ["雨", "yu"], ["萱", "xuan"], ["欣", "xin"],
  ["怡", "yi"], ["诗", "shi"], ["悦", "yue"], ["琪", "qi"], ["瑶", "yao"], ["妍", "yan"],
  ["思", "si"], ["彤", "tong"], ["可", "ke"], ["馨", "xin"], ["佳", "jia"], ["婷", "ting"],
  ["雪", "xue"], ["颖", "ying"], ["倩", "qian"], ["晨", "chen"], ["一", "yi"], ["若", "ruo"],
  ["曦", "xi"], ["嘉", "jia"], ["语", "yu"], ["安", "an"], ["沐", "mu"], ["晓", "xiao"],
  ["静", "jing"], ["琳", "lin"], ["蕾", "lei"], ["薇", "wei"], ["楠", "nan"], ["丹", "dan"],
];

export const MODERN_MALE: readonly GivenNameChar[] = [
  ["梓", "zi"], ["子", "zi"], ["浩", "hao"], ["宇", "yu"], ["轩", "xuan"], ["睿", "rui"],
  ["泽", "ze"], ["俊", "jun"], ["博", "bo"], ["辰", "chen"], ["然", "ran"], ["昊", "hao"],
  ["铭", "ming"], ["宸", "chen"], ["杰", "jie"], ["航", "hang"], ["鑫", "xin"], ["涛", "tao"],
  ["磊", "lei"], ["鹏", "peng"], ["凯", "kai"], ["毅", "yi"], ["晨", "chen"], ["阳", "yang"],
  ["文", "wen"], ["天", "tian"], ["一", "yi"], ["嘉", "jia"], ["逸", "yi"], ["霖", "lin"],
  ["皓", "hao"], ["翔", "xiang"], ["伟", "wei"], ["超", "chao"], ["明", "ming"], ["飞", "fei"],
];

/**
 * Characters that stand alone as a given name (王芳, 李强). Many two-character building blocks
 * (子, 梓, 一, 若) read oddly on their own, so single-character names come from these lists.
 */
export const SINGLE_FEMALE: readonly GivenNameChar[] = [
  ["芳", "fang"], ["娜", "na"], ["敏", "min"], ["静", "jing"], ["丽", "li"], ["艳", "yan"],
  ["婷", "ting"], ["雪", "xue"], ["琳", "lin"], ["慧", "hui"], ["颖", "ying"], ["倩", "qian"],
  ["洁", "jie"], ["燕", "yan"], ["霞", "xia"], ["玲", "ling"], ["红", "hong"], ["萍", "ping"],
  ["娟", "juan"], ["丹", "dan"], ["莉", "li"], ["薇", "wei"], ["蕾", "lei"], ["晶", "jing"],
  ["瑶", "yao"], ["妍", "yan"], ["悦", "yue"], ["琪", "qi"], ["欣", "xin"], ["怡", "yi"],
];

export const SINGLE_MALE: readonly GivenNameChar[] = [
  ["伟", "wei"], ["强", "qiang"], ["磊", "lei"], ["军", "jun"], ["勇", "yong"], ["杰", "jie"],
  ["涛", "tao"], ["明", "ming"], ["超", "chao"], ["刚", "gang"], ["平", "ping"], ["辉", "hui"],
  ["鹏", "peng"], ["华", "hua"], ["飞", "fei"], ["鑫", "xin"], ["波", "bo"], ["斌", "bin"],
  ["宇", "yu"], ["浩", "hao"], ["俊", "jun"], ["博", "bo"], ["帆", "fan"], ["凯", "kai"],
  ["峰", "feng"], ["亮", "liang"], ["毅", "yi"], ["昊", "hao"], ["晨", "chen"], ["阳", "yang"],
];

import type { DemoBrand } from "./demo-brand.type.js";

export const DEMO_BRANDS: readonly DemoBrand[] = Object.freeze([
  Object.freeze({
    id: "pieshop",
    nameZh: "派派馅饼",
    nameEn: "PaiPai Pie Shop",
    timeZone: "Asia/Shanghai",
    memberNumberPrefix: "PP",
  }),
  Object.freeze({
    id: "teabar",
    nameZh: "一叶茶吧",
    nameEn: "Leaf Tea Bar",
    timeZone: "Asia/Shanghai",
    memberNumberPrefix: "TB",
  }),
  Object.freeze({
    id: "stylehub",
    nameZh: "风尚汇",
    nameEn: "StyleHub",
    timeZone: "Asia/Shanghai",
    memberNumberPrefix: "SH",
  }),
] as const);

import type { Locale } from "../i18n/i18n.js";
import type { BrandInfo } from "../session/session.js";

export function brandName(brands: readonly BrandInfo[], id: string | null | undefined, locale: Locale): string {
  if (!id) return "—";
  const brand = brands.find((b) => b.id === id);
  if (!brand) return id;
  return locale === "zh-CN" && brand.nameZh ? brand.nameZh : brand.name;
}

/** One synthetic member as a brand would load it into its node. */
export interface DemoMember {
  /** The brand's member number: its prefix and the 1-based index, e.g. `PP00000001`. */
  readonly externalId: string;
  /** Full name in Chinese characters, surname first (`王芳`, `欧阳子涵`). */
  readonly name: string;
  /** A mainland mobile number in E.164, e.g. `+8613812345678`. Unique within a brand and seed. */
  readonly phone: string;
  /** Always at a reserved domain (`example.com`, `example.cn`, `example.net`). Unique within a brand and seed. */
  readonly email: string;
  /** A postal address in Chinese order, in a real district of a city in the member's region. */
  readonly address: string;
  /** `YYYY-MM-DD`; the member's age on `REFERENCE_DATE` falls in their `age:*` band. */
  readonly birthDate: string;
  /** `YYYY-MM-DD`; consistent with the member's `lifecycle:*` stage on `REFERENCE_DATE`. */
  readonly joinDate: string;
  /** Whether the member agreed to marketing (including partner offers) on each channel. */
  readonly consent: { readonly sms: boolean; readonly email: boolean; readonly mail: boolean };
  /** Taxonomy keys (`dimension:value`). */
  readonly tags: string[];
}

export interface GenerateMembersOptions {
  /** One of the demo brands: `pieshop`, `teabar` or `stylehub`. */
  readonly brandId: string;
  /** How many members to yield. */
  readonly count: number;
  /** Any string; the same seed, brand and index always give the same member. Default `"brandpool-demo"`. */
  readonly seed?: string;
  /** 0-based index of the first member, to continue an earlier run. Default 0. */
  readonly startIndex?: number;
}

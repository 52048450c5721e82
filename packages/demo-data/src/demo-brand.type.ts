export type DemoBrandId = "pieshop" | "teabar" | "stylehub";

/** A brand of the demo pool started by `npm start` and used by the benchmark. */
export interface DemoBrand {
  readonly id: DemoBrandId;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly timeZone: "Asia/Shanghai";
  /** Prefix of the brand's member numbers (`externalId`), e.g. `PP` in `PP00000001`. */
  readonly memberNumberPrefix: string;
}

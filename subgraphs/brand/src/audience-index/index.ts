export { AUDIENCE_INDEX_POOL_OPTIONS, AudienceIndex, MEMBER_CHANGES_CHANNEL, type AudienceIndexOptions, type Freshness } from "./audience-index.service.js";
export { IndexedAudienceCounter } from "./indexed-audience-counter.js";
export { countExpression } from "./count-expression.js";
export { AudienceBitmaps, type MemberBatch } from "./audience-bitmaps.js";

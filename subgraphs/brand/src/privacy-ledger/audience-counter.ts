import { and, count } from "drizzle-orm";
import { tagKeysOf } from "@brandpool/tag-expression";
import type { TagExpression } from "@brandpool/tag-expression";
import type { Database } from "../db/database.js";
import { members } from "../db/member.table.js";
import { consentCondition, expressionCondition } from "../members/expression.sql.js";
import type { Channel } from "../members/expression.sql.js";
import type { TagDictionary } from "../pool/tag-dictionary.service.js";

/**
 * How the ledger gets an exact count: members matching the expression and, when a channel is
 * given, consenting to partner offers on it. The ledger does not care how; SQL over the GIN
 * index today, a bitmap index later.
 */
export interface AudienceCounter {
  count(db: Database, expression: TagExpression, channel: Channel | null): Promise<number>;
}

export class SqlAudienceCounter implements AudienceCounter {
  constructor(private readonly dictionary: TagDictionary) {}

  async count(db: Database, expression: TagExpression, channel: Channel | null): Promise<number> {
    const condition = expressionCondition(expression, this.dictionary.entries(tagKeysOf(expression)));
    const [row] = await db
      .select({ n: count() })
      .from(members)
      .where(channel ? and(condition, consentCondition(channel)) : condition);
    return row?.n ?? 0;
  }
}

import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { foldTagExpression } from "@brandpool/tag-expression";
import type { TagExpression } from "@brandpool/tag-expression";
import { members } from "../db/member.table.js";

/** The expression as a parameterised WHERE clause over members' tag ids (GIN-indexed). */
export function expressionCondition(expr: TagExpression, tagIds: ReadonlyMap<string, { id: number }>): SQL {
  return foldTagExpression<SQL>(expr, {
    tag: (key) => {
      const entry = tagIds.get(key);
      if (!entry) throw new Error(`tag ${key} was not resolved`);
      return sql`(${members.tagIds} @> ARRAY[${entry.id}]::integer[])`;
    },
    and: (parts) => sql`(${sql.join(parts, sql` AND `)})`,
    or: (parts) => sql`(${sql.join(parts, sql` OR `)})`,
    not: (part) => sql`(NOT ${part})`,
  });
}

export type Channel = "SMS" | "EMAIL" | "MAIL";

export function consentCondition(channel: Channel): SQL {
  switch (channel) {
    case "SMS":
      return sql`${members.consentSms}`;
    case "EMAIL":
      return sql`${members.consentEmail}`;
    case "MAIL":
      return sql`${members.consentMail}`;
  }
}

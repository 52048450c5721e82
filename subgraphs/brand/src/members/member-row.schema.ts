import { z } from "zod";

// The GraphQL input leaves every field optional, so that a row missing externalId, name or
// joinDate is named in `details.rows` like any other bad row, rather than the whole batch being
// refused by GraphQL's input validation without saying which row.
const requiredString = () => z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? "is required" : "must be text") });

// Postgres has no year 0 (it would refuse the whole insert), so years start at 0001.
const isoDate = (base = z.string()) =>
  base
    // One reason per field: a malformed date is not also reported as an unreal one.
    .regex(/^(?!0000)\d{4}-\d{2}-\d{2}$/, { error: "must be a date YYYY-MM-DD", abort: true })
    .refine((value) => {
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
    }, "is not a real calendar date");

// Postgres text cannot hold NUL, and no name or address needs other control characters.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const text = (max: number, base = z.string()) =>
  base
    .trim()
    .max(max)
    .refine((value) => !CONTROL.test(value), "may not hold control characters");

const optionalText = (max: number) => text(max).nullish().transform((v) => (v ? v : null));

/** One import row, as the node stores it. Reasons are plain and name the field. */
export const MemberRowSchema = z.object({
  externalId: requiredString().trim().min(1, "is required").max(64).regex(/^[A-Za-z0-9_.:-]+$/, "may hold only letters, digits and _ . : -"),
  name: text(100, requiredString()).pipe(z.string().min(1, "is required")),
  phone: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, "must be E.164, e.g. +8613812345678")
    .nullish()
    .transform((v) => v ?? null),
  email: z.string().trim().email("is not an email address").max(254).nullish().transform((v) => v ?? null),
  address: optionalText(300),
  birthDate: isoDate().nullish().transform((v) => v ?? null),
  joinDate: isoDate(requiredString()),
  consent: z
    .object({ sms: z.boolean().nullish(), email: z.boolean().nullish(), mail: z.boolean().nullish() })
    .nullish()
    .transform((c) => ({ sms: c?.sms ?? false, email: c?.email ?? false, mail: c?.mail ?? false })),
  tags: z.array(z.string()).max(200).nullish().transform((v) => v ?? null),
});

export type MemberRow = z.infer<typeof MemberRowSchema>;

import { z } from "zod";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "is not a real calendar date");

const optionalText = (max: number) => z.string().trim().max(max).nullish().transform((v) => (v ? v : null));

/** One import row, as the node stores it. Reasons are plain and name the field. */
export const MemberRowSchema = z.object({
  externalId: z.string().trim().min(1, "is required").max(64).regex(/^[A-Za-z0-9_.:-]+$/, "may hold only letters, digits and _ . : -"),
  name: z.string().trim().min(1, "is required").max(100),
  phone: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, "must be E.164, e.g. +8613812345678")
    .nullish()
    .transform((v) => v ?? null),
  email: z.string().trim().email("is not an email address").max(254).nullish().transform((v) => v ?? null),
  address: optionalText(300),
  birthDate: isoDate.nullish().transform((v) => v ?? null),
  joinDate: isoDate,
  consent: z
    .object({ sms: z.boolean().nullish(), email: z.boolean().nullish(), mail: z.boolean().nullish() })
    .nullish()
    .transform((c) => ({ sms: c?.sms ?? false, email: c?.email ?? false, mail: c?.mail ?? false })),
  tags: z.array(z.string()).max(200).nullish().transform((v) => v ?? null),
});

export type MemberRow = z.infer<typeof MemberRowSchema>;

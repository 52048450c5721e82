import { z } from "zod";
import { JwkSetSchema, PublicJwkSchema } from "@brandpool/tokens";

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "is not an IANA time zone");

const fields = {
  name: z.string().trim().min(1).max(100),
  nameZh: z.string().trim().min(1).max(100).nullish(),
  nodeUrl: z.string().url().refine((url) => /^https?:\/\//.test(url), "must be an http(s) URL"),
  nodeKey: PublicJwkSchema,
  issuer: z.string().trim().min(1).max(300),
  issuerKeys: JwkSetSchema,
  gatewayKeys: JwkSetSchema.nullish(),
  timeZone: timeZone.nullish(),
};

export const RegisterBrandSchema = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "must be 2-32 of a-z, 0-9, -"), ...fields });
export type RegisterBrand = z.infer<typeof RegisterBrandSchema>;

export const UpdateBrandSchema = z.object({
  name: fields.name.nullish(),
  nameZh: fields.nameZh,
  nodeUrl: fields.nodeUrl.nullish(),
  nodeKey: fields.nodeKey.nullish(),
  issuer: fields.issuer.nullish(),
  issuerKeys: fields.issuerKeys.nullish(),
  gatewayKeys: fields.gatewayKeys,
  timeZone: fields.timeZone,
});
export type UpdateBrand = z.infer<typeof UpdateBrandSchema>;

/** zod issues as the details of a BAD_INPUT error. */
export function issuesOf(error: z.ZodError): { field: string; reason: string }[] {
  return error.issues.map((issue) => ({ field: issue.path.join(".") || "input", reason: issue.message }));
}

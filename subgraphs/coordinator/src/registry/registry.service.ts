import type pg from "pg";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import { BrandRepository } from "./brand.repository.js";
import type { BrandRecord } from "./brand.repository.js";
import { RegisterBrandSchema, UpdateBrandSchema, issuesOf } from "./brand.schema.js";

/** What an audit event may say of a registry change: which fields, never key material. */
function changedFields(input: Record<string, unknown>): string[] {
  return Object.entries(input).filter(([, value]) => value !== undefined && value !== null).map(([key]) => key).sort();
}

export class RegistryService {
  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  list(): Promise<BrandRecord[]> {
    return new BrandRepository(this.db).all();
  }

  async get(id: string): Promise<BrandRecord> {
    const brand = await new BrandRepository(this.db).find(id);
    if (!brand) throw new AppError("NOT_FOUND", `No brand ${JSON.stringify(id.slice(0, 40))} in the registry.`);
    return brand;
  }

  /** Registers a brand, not yet admitted: it joins the pool only when a platform admin admits it. */
  async register(principal: Principal, input: unknown): Promise<BrandRecord> {
    const parsed = RegisterBrandSchema.safeParse(input);
    if (!parsed.success) throw new AppError("BAD_INPUT", "The brand registration is not valid.", { fields: issuesOf(parsed.error) });
    const value = parsed.data;
    return withTransaction(this.pool, async (tx) => {
      const inserted = await new BrandRepository(tx.db).insert({
        id: value.id,
        name: value.name,
        nameZh: value.nameZh ?? null,
        nodeUrl: value.nodeUrl,
        nodeKey: value.nodeKey,
        issuer: value.issuer,
        issuerKeys: value.issuerKeys,
        gatewayKeys: value.gatewayKeys ?? null,
        timeZone: value.timeZone ?? "Asia/Shanghai",
        admitted: false,
      });
      if (!inserted) throw new AppError("CONFLICT", `Brand ${value.id} is already registered.`);
      await this.audit.record(tx, [
        {
          type: "brand.registered",
          actor: principalActor(principal),
          subject: { kind: "brand", brand: value.id },
          payload: { name: value.name, nodeUrl: value.nodeUrl, issuer: value.issuer },
        },
      ]);
      return inserted;
    });
  }

  async update(principal: Principal, id: string, input: unknown): Promise<BrandRecord> {
    const parsed = UpdateBrandSchema.safeParse(input);
    if (!parsed.success) throw new AppError("BAD_INPUT", "The brand change is not valid.", { fields: issuesOf(parsed.error) });
    const changes = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined && value !== null));
    if (Object.keys(changes).length === 0) throw new AppError("BAD_INPUT", "Nothing to change.");
    return withTransaction(this.pool, async (tx) => {
      const repository = new BrandRepository(tx.db);
      if (!(await repository.findForUpdate(id))) throw new AppError("NOT_FOUND", "No such brand in the registry.");
      const updated = await repository.update(id, changes);
      const payload: JsonObject = { fields: changedFields(parsed.data) };
      await this.audit.record(tx, [{ type: "brand.updated", actor: principalActor(principal), subject: { kind: "brand", brand: id }, payload }]);
      return updated;
    });
  }

  async setAdmitted(principal: Principal, id: string, admitted: boolean): Promise<BrandRecord> {
    return withTransaction(this.pool, async (tx) => {
      const repository = new BrandRepository(tx.db);
      const current = await repository.findForUpdate(id);
      if (!current) throw new AppError("NOT_FOUND", "No such brand in the registry.");
      if (current.admitted === admitted) return current;
      const updated = await repository.update(id, { admitted });
      await this.audit.record(tx, [
        { type: admitted ? "brand.admitted" : "brand.suspended", actor: principalActor(principal), subject: { kind: "brand", brand: id }, payload: {} },
      ]);
      return updated;
    });
  }
}

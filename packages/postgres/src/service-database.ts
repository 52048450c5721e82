import { AppError } from "@brandpool/errors";
import { databaseUrl, withAdmin } from "./databases.js";
import { checkName } from "./names.js";
import { foreignOwnedObjects, reownObjects } from "./object-owners.js";

export interface ServiceDatabaseOptions {
  /** The database of one service. */
  name: string;
  /** The service's role (see ensureServiceRole): it will own the database and every object in it. */
  owner: string;
  /**
   * Clone a migrated template instead of starting empty (tests). Its objects belong to the
   * template's `owner` role, which must not own the template database itself: a clone's
   * `REASSIGN OWNED` would hand that database over too.
   */
  template?: { name: string; owner: string };
}

/** What ensureServiceDatabase found: a new database, one of its owner's already, or one it took over. */
export type ServiceDatabaseOutcome = "created" | "kept" | "adopted";

/**
 * Makes `name` the database of one service: owned by its role, objects included, and closed to
 * every other role (CONNECT revoked from PUBLIC; trust authentication ignores passwords, so the
 * role is what must be refused). A database from before one role per service (owned by the
 * superuser) is adopted: the database and each of its objects get the service's role as owner.
 */
export async function ensureServiceDatabase(adminUrl: string, options: ServiceDatabaseOptions): Promise<ServiceDatabaseOutcome> {
  const name = checkName(options.name);
  const owner = checkName(options.owner, "role");
  if (options.template) {
    checkName(options.template.name);
    checkName(options.template.owner, "role");
  }
  const outcome = await withAdmin(adminUrl, async (client): Promise<ServiceDatabaseOutcome> => {
    const roles = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1 AND NOT rolsuper", [owner]);
    if (roles.rowCount !== 1) throw new AppError("BAD_INPUT", `No service role ${owner}: create it first.`);
    const [existing] = (await client.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [name])).rows;
    const database = client.escapeIdentifier(name);
    const ownerId = client.escapeIdentifier(owner);
    let result: ServiceDatabaseOutcome = "kept";
    if (!existing) {
      const from = options.template ? ` TEMPLATE ${client.escapeIdentifier(options.template.name)}` : "";
      await client.query(`CREATE DATABASE ${database} OWNER ${ownerId}${from}`);
      result = "created";
    } else if (existing.owner !== owner) {
      await client.query(`ALTER DATABASE ${database} OWNER TO ${ownerId}`);
      result = "adopted";
    }
    // PUBLIC, and any role an earlier version or a hand granted rights: the owner's are the only ones.
    await client.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
    const grantees = await client.query<{ grantee: string }>(
      `SELECT DISTINCT pg_get_userbyid(a.grantee) AS grantee FROM pg_database d, aclexplode(d.datacl) a
       WHERE d.datname = $1 AND a.grantee <> 0 AND a.grantee <> d.datdba`,
      [name],
    );
    for (const { grantee } of grantees.rows) await client.query(`REVOKE ALL ON DATABASE ${database} FROM ${client.escapeIdentifier(grantee)}`);
    return result;
  });
  if (outcome === "kept") return outcome;
  await withAdmin(databaseUrl(adminUrl, name), async (client) => {
    if (outcome === "created" && options.template) {
      await client.query(`REASSIGN OWNED BY ${client.escapeIdentifier(options.template.owner)} TO ${client.escapeIdentifier(owner)}`);
    } else {
      // REASSIGN OWNED cannot take objects from the bootstrap superuser (it owns the catalogs).
      await reownObjects(client, owner);
    }
    const left = await foreignOwnedObjects(client, owner);
    if (left.length > 0) {
      throw new AppError("INTERNAL", `Objects in ${name} still owned by another role: ${left.slice(0, 5).join(", ")}`);
    }
  });
  return outcome;
}

import { AppError } from "@brandpool/errors";
import { withAdmin } from "./databases.js";
import { checkName } from "./names.js";
import { scramVerifier } from "./scram-verifier.js";

/**
 * What a service's role may do: log in, and nothing a superuser-like role could. It owns its
 * database and the objects in it, which gives it every right it needs there. INHERIT, because the
 * owner's rights on the `public` schema come through the implicit `pg_database_owner` membership.
 */
export const SERVICE_ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

/**
 * Creates the role of one service, or brings an existing one back to the service attributes and
 * `password` (the files under `.data/secrets` are the truth, so every start sets it again). The
 * role is taken out of any role it was granted, so it holds nothing but what it owns. Refuses an
 * existing superuser (the connecting role, the bootstrap superuser, or anyone's), which this
 * would demote.
 */
export async function ensureServiceRole(adminUrl: string, role: string, password: string): Promise<void> {
  checkName(role, "role");
  const verifier = scramVerifier(password);
  await withAdmin(adminUrl, async (client) => {
    await client.query("BEGIN");
    try {
      const [existing] = (
        await client.query<{ oid: number; itself: boolean; rolsuper: boolean }>(
          "SELECT oid::int AS oid, rolname = current_user AS itself, rolsuper FROM pg_roles WHERE rolname = $1",
          [role],
        )
      ).rows;
      // Never demote a superuser that someone may be using: a service needs a role of its own.
      if (existing && (existing.itself || existing.oid === 10 || existing.rolsuper)) {
        throw new AppError("BAD_INPUT", `The role ${role} is a superuser (or the administrator's own); a service needs a role of its own.`);
      }
      const quoted = client.escapeIdentifier(role);
      const attributes = `${SERVICE_ROLE_ATTRIBUTES} PASSWORD ${client.escapeLiteral(verifier)}`;
      await client.query(existing ? `ALTER ROLE ${quoted} WITH ${attributes}` : `CREATE ROLE ${quoted} WITH ${attributes}`);
      const memberships = await client.query<{ granted: string }>(
        "SELECT r.rolname AS granted FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1",
        [role],
      );
      for (const { granted } of memberships.rows) await client.query(`REVOKE ${client.escapeIdentifier(granted)} FROM ${quoted}`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  });
}

/** Drops the roles whose name starts with `prefix` (their databases must be gone first). */
export async function dropRoles(adminUrl: string, prefix: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    const roles = await client.query<{ rolname: string }>(
      "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) AND NOT rolsuper AND rolname <> current_user ORDER BY rolname",
      [checkName(prefix, "role")],
    );
    for (const { rolname } of roles.rows) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(rolname)}`);
  });
}

/** The URL of `database` on the same server as `adminUrl`, as `role` with `password`. */
export function serviceDatabaseUrl(adminUrl: string, database: string, role: string, password: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${checkName(database)}`;
  url.username = checkName(role, "role");
  url.password = encodeURIComponent(password);
  url.searchParams.delete("user");
  url.searchParams.delete("password");
  return url.toString();
}

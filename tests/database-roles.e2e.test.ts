import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, foreignOwnedObjects, serviceDatabaseUrl } from "@brandpool/postgres";
import { queryOnce, sqlStateOf, testRun } from "@brandpool/postgres/testing";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

interface Service {
  name: string;
  /** Its database, which is also its role's name. */
  database: string;
  /** The URL the stack gave the running service. */
  url: string;
}


/** `url` with another database: same role, same password. */
const elsewhere = (url: string, database: string) => {
  const parsed = new URL(url);
  return serviceDatabaseUrl(url, database, decodeURIComponent(parsed.username), decodeURIComponent(parsed.password));
};

// Invariant 7, below the API: each service is its own role owning its own database, and no role
// of the platform can reach another's database or make itself more.
describe("least privilege in the databases", () => {
  const { adminUrl } = testRun();
  let stack: TestStack;
  let services: Service[];

  beforeAll(async () => {
    stack = await startTestStack({ members: 200 });
    services = [
      { name: "coordinator", database: stack.coordinatorDatabase, url: stack.coordinatorDatabaseUrl },
      ...[...stack.nodes.values()].map((node) => ({ name: `node:${node.brandId}`, database: node.database, url: node.databaseUrl })),
    ];
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("connects every service as its own role, which is no superuser and can create no database or role", async () => {
    expect(services).toHaveLength(4);
    for (const service of services) {
      const [self] = await queryOnce(service.url, "SELECT current_user AS role, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = current_user");
      expect({ service: service.name, ...self }).toEqual({ service: service.name, role: service.database, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false, rolreplication: false });
    }
    // The detector works: the harness's own URL is a superuser's.
    expect(await queryOnce(adminUrl, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).toEqual([{ rolsuper: true }]);
  });

  it("sees only each service's own role among the connections the running services hold to their databases", async () => {
    // A call that reaches the coordinator and every node, so each has connections open now.
    for (const brand of ["pieshop", "teabar", "stylehub"]) {
      const result = await stack.ask({ brand, role: "analyst" }, "{ viewer { brandId } tags { key } members(first: 1) { totalCount } }");
      expect(result.errors).toEqual([]);
    }
    const rows = await queryOnce<{ datname: string; usename: string; rolsuper: boolean }>(
      adminUrl,
      `SELECT a.datname, a.usename, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
       WHERE a.datname = ANY($1::text[]) AND a.pid <> pg_backend_pid()`,
      [services.map((service) => service.database)],
    );
    for (const service of services) {
      const users = new Set(rows.filter((row) => row.datname === service.database).map((row) => row.usename));
      expect({ service: service.name, users: [...users] }).toEqual({ service: service.name, users: [service.database] });
    }
    expect(rows.some((row) => row.rolsuper)).toBe(false);
  });

  it("refuses a node's role at every other node's database and at the coordinator's, and the coordinator's at the nodes'", async () => {
    let refusals = 0;
    for (const from of services) {
      for (const to of services) {
        const state = await sqlStateOf(() => queryOnce(elsewhere(from.url, to.database), "SELECT 1"));
        expect({ from: from.name, to: to.name, state }).toEqual({ from: from.name, to: to.name, state: from === to ? "none" : "42501" });
        if (from !== to) refusals += 1;
      }
    }
    expect(refusals).toBe(12);
    const open = await queryOnce<{ datname: string }>(
      adminUrl,
      "SELECT datname FROM pg_database WHERE datname = ANY($1::text[]) AND has_database_privilege('public', datname, 'CONNECT')",
      [services.map((service) => service.database)],
    );
    expect(open).toEqual([]);
  });

  it("lets no service's role create a database or a role, or raise its own attributes", async () => {
    const made = `${stack.databasePrefix}_made_by_service`;
    for (const service of services) {
      expect(await sqlStateOf(() => queryOnce(service.url, `CREATE DATABASE ${made}`))).toBe("42501");
      expect(await sqlStateOf(() => queryOnce(service.url, `CREATE ROLE ${made}`))).toBe("42501");
      expect(await sqlStateOf(() => queryOnce(service.url, `ALTER ROLE CURRENT_USER CREATEDB`))).toBe("42501");
      expect(await sqlStateOf(() => queryOnce(service.url, "SET session_replication_role = replica"))).toBe("42501");
    }
    expect(await queryOnce(adminUrl, "SELECT 1 FROM pg_database WHERE datname = $1 UNION ALL SELECT 1 FROM pg_roles WHERE rolname = $1", [made])).toEqual([]);
  });

  it("has each service own its database and every object in it, and hold no other role's rights", async () => {
    for (const service of services) {
      const [database] = await queryOnce<{ owner: string }>(adminUrl, "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [service.database]);
      expect({ service: service.name, owner: database?.owner }).toEqual({ service: service.name, owner: service.database });
      const client = new pg.Client({ connectionString: databaseUrl(adminUrl, service.database) });
      await client.connect();
      try {
        expect({ service: service.name, foreign: await foreignOwnedObjects(client, service.database) }).toEqual({ service: service.name, foreign: [] });
        const tables = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tableowner = $1", [service.database])).rows[0]?.n ?? 0;
        expect(tables).toBeGreaterThan(3);
      } finally {
        await client.end();
      }
      const memberships = await queryOnce(adminUrl, "SELECT roleid::regrole::text FROM pg_auth_members WHERE member = $1::regrole", [service.database]);
      expect(memberships).toEqual([]);
    }
  });
});

import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, databaseExists, databaseUrl, dropDatabase, withAdmin } from "./databases.js";
import { foreignOwnedObjects } from "./object-owners.js";
import { ensureServiceDatabase } from "./service-database.js";
import { ensureServiceRole, serviceDatabaseUrl } from "./service-roles.js";
import { queryOnce, sqlStateOf, templateName, templateOwner, testRun } from "./testing.js";

const { adminUrl, runId } = testRun();
const prefix = `bp_${runId}_${randomBytes(3).toString("hex")}`;
const password = () => randomBytes(24).toString("base64url");


describe("service roles and their databases", () => {
  const a = { role: `${prefix}_a`, database: `${prefix}_a`, password: password() };
  const b = { role: `${prefix}_b`, database: `${prefix}_b`, password: password() };
  const urlOf = (service: typeof a, database = service.database) => serviceDatabaseUrl(adminUrl, database, service.role, service.password);
  let cloneMs = 0;

  beforeAll(async () => {
    for (const service of [a, b]) await ensureServiceRole(adminUrl, service.role, service.password);
    const started = performance.now();
    await ensureServiceDatabase(adminUrl, { name: a.database, owner: a.role, template: { name: templateName(runId, "brand"), owner: templateOwner(runId) } });
    cloneMs = performance.now() - started;
    await ensureServiceDatabase(adminUrl, { name: b.database, owner: b.role });
  });
  afterAll(async () => {
    for (const service of [a, b]) await dropDatabase(adminUrl, service.database);
  });

  it("gives each service a plain login role: no superuser, no database or role creation, no RLS bypass", async () => {
    const [attributes] = await queryOnce(adminUrl, "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = $1", [a.role]);
    expect(attributes).toEqual({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false, rolreplication: false });
    const [self] = await queryOnce<{ user: string; rolsuper: boolean }>(urlOf(a), "SELECT current_user AS user, rolsuper FROM pg_roles WHERE rolname = current_user");
    expect(self).toEqual({ user: a.role, rolsuper: false });
  });

  it("hands a clone of the template, every object in it, to the service's role, quickly", async () => {
    const [owner] = await queryOnce<{ owner: string }>(adminUrl, "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [a.database]);
    expect(owner?.owner).toBe(a.role);
    const tables = await queryOnce<{ tableowner: string }>(urlOf(a), "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
    expect(tables).toEqual([{ tableowner: a.role }]);
    expect(await withAdmin(databaseUrl(adminUrl, a.database), (client) => foreignOwnedObjects(client, a.role))).toEqual([]);
    // Owning the table is what lets the service alter it; the template's role no longer can.
    await queryOnce(urlOf(a), "ALTER TABLE members ADD COLUMN owned_check integer");
    // Reported, not asserted tightly: CREATE DATABASE ... TEMPLATE plus REASSIGN OWNED.
    console.info(`clone and reassign: ${cloneMs.toFixed(0)} ms`);
    expect(cloneMs).toBeLessThan(10_000);
  });

  it("refuses another service's role at connect (insufficient privilege), whatever the authentication", async () => {
    expect(await sqlStateOf(() => queryOnce(urlOf(b, a.database), "SELECT 1"))).toBe("42501");
    expect(await sqlStateOf(() => queryOnce(urlOf(a, b.database), "SELECT 1"))).toBe("42501");
    // The detector works: each role does reach its own database.
    expect(await sqlStateOf(() => queryOnce(urlOf(b), "SELECT 1"))).toBe("none");
    const [acl] = await queryOnce<{ public_connect: boolean }>(adminUrl, "SELECT has_database_privilege('public', $1, 'CONNECT') AS public_connect", [a.database]);
    expect(acl?.public_connect).toBe(false);
  });

  it("lets a service's role create neither a database nor a role", async () => {
    expect(await sqlStateOf(() => queryOnce(urlOf(a), `CREATE DATABASE ${prefix}_by_a`))).toBe("42501");
    expect(await sqlStateOf(() => queryOnce(urlOf(a), `CREATE ROLE ${prefix}_by_a`))).toBe("42501");
    expect(await sqlStateOf(() => queryOnce(urlOf(a), `ALTER ROLE ${a.role} SUPERUSER`))).toBe("42501");
    expect(await databaseExists(adminUrl, `${prefix}_by_a`)).toBe(false);
    expect(await queryOnce(adminUrl, "SELECT 1 FROM pg_roles WHERE rolname = $1", [`${prefix}_by_a`])).toEqual([]);
  });
});

describe("adopting a database from before one role per service", () => {
  const service = { role: `${prefix}_old`, database: `${prefix}_old`, password: password() };
  afterAll(() => dropDatabase(adminUrl, service.database));

  it("gives the service's role the database and each schema, table, sequence, view, routine and type the superuser made", async () => {
    await createDatabase(adminUrl, service.database);
    const superuserUrl = databaseUrl(adminUrl, service.database);
    await queryOnce(
      superuserUrl,
      `CREATE SCHEMA jobs;
       CREATE TYPE jobs.state AS ENUM ('created', 'done');
       CREATE TABLE jobs.job (id bigserial PRIMARY KEY, state jobs.state NOT NULL, n integer GENERATED ALWAYS AS IDENTITY);
       CREATE TABLE notes (id serial PRIMARY KEY, body text);
       CREATE SEQUENCE loose_counter;
       CREATE VIEW note_bodies AS SELECT body FROM notes;
       CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
       CREATE FUNCTION jobs.count_jobs() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM jobs.job';`,
    );
    // An earlier version left it open to every role; and someone granted another role in by hand.
    const other = { role: `${prefix}_other`, password: password() };
    await ensureServiceRole(adminUrl, other.role, other.password);
    await queryOnce(adminUrl, `GRANT ALL ON DATABASE ${service.database} TO PUBLIC; GRANT CONNECT ON DATABASE ${service.database} TO ${other.role}`);
    const otherUrl = serviceDatabaseUrl(adminUrl, service.database, other.role, other.password);
    expect(await sqlStateOf(() => queryOnce(otherUrl, "SELECT 1"))).toBe("none");

    await ensureServiceRole(adminUrl, service.role, service.password);
    const before = await withAdmin(superuserUrl, (client) => foreignOwnedObjects(client, service.role));
    expect(before.length).toBeGreaterThan(5);
    expect(await ensureServiceDatabase(adminUrl, { name: service.database, owner: service.role })).toBe("adopted");
    expect(await withAdmin(superuserUrl, (client) => foreignOwnedObjects(client, service.role))).toEqual([]);
    const url = serviceDatabaseUrl(adminUrl, service.database, service.role, service.password);
    await queryOnce(url, "ALTER TABLE jobs.job ADD COLUMN note text; INSERT INTO jobs.job (state) VALUES ('created'); SELECT nextval('loose_counter'); DROP VIEW note_bodies");
    expect(await queryOnce(url, "SELECT jobs.count_jobs()::int AS n")).toEqual([{ n: 1 }]);
    expect(await sqlStateOf(() => queryOnce(otherUrl, "SELECT 1"))).toBe("42501");
    // A second start finds it the service's already.
    expect(await ensureServiceDatabase(adminUrl, { name: service.database, owner: service.role })).toBe("kept");
  });
});

describe("a service role that exists already", () => {
  it("is brought back to the service attributes and taken out of every role it was granted", async () => {
    const role = `${prefix}_drifted`;
    await queryOnce(adminUrl, `CREATE ROLE ${role} LOGIN CREATEDB CREATEROLE BYPASSRLS; GRANT pg_read_all_data TO ${role}`);
    await ensureServiceRole(adminUrl, role, password());
    const [attributes] = await queryOnce(adminUrl, "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = $1", [role]);
    expect(attributes).toEqual({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false });
    expect(await queryOnce(adminUrl, "SELECT roleid::regrole::text FROM pg_auth_members WHERE member = $1::regrole", [role])).toEqual([]);
  });
});

describe("bad input", () => {
  it("refuses a name that is not a plain identifier, and creates nothing", async () => {
    const name = `${prefix}_Bad";DROP`;
    await expect(ensureServiceRole(adminUrl, name, password())).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await queryOnce(adminUrl, "SELECT 1 FROM pg_roles WHERE starts_with(rolname, $1)", [`${prefix}_Bad`])).toEqual([]);
  });

  it("refuses to make the administrator's own role a service role, which stays as it was", async () => {
    const [me] = await queryOnce<{ user: string; rolsuper: boolean }>(adminUrl, "SELECT current_user AS user, rolsuper FROM pg_roles WHERE rolname = current_user");
    await expect(ensureServiceRole(adminUrl, me?.user ?? "postgres", password())).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await queryOnce(adminUrl, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).toEqual([{ rolsuper: me?.rolsuper }]);
  });

  it("refuses to demote another superuser that bears a service's name, which stays one", async () => {
    const role = `${prefix}_super`;
    await queryOnce(adminUrl, `CREATE ROLE ${role} SUPERUSER`);
    await expect(ensureServiceRole(adminUrl, role, password())).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await queryOnce(adminUrl, "SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = $1", [role])).toEqual([{ rolsuper: true, rolcanlogin: false }]);
    await queryOnce(adminUrl, `DROP ROLE ${role}`);
  });

  it("refuses a database for a role that does not exist, and creates no database", async () => {
    const name = `${prefix}_orphan`;
    await expect(ensureServiceDatabase(adminUrl, { name, owner: `${prefix}_nobody` })).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await databaseExists(adminUrl, name)).toBe(false);
  });

  it("refuses a password that is not printable ASCII, leaving the role's password as it was", async () => {
    const role = `${prefix}_pw`;
    await ensureServiceRole(adminUrl, role, "first-password-123456");
    const stored = async () => (await queryOnce<{ p: string }>(adminUrl, "SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1", [role]))[0]?.p;
    const before = await stored();
    await expect(ensureServiceRole(adminUrl, role, "with a space")).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await stored()).toBe(before);
    expect(before).toMatch(/^SCRAM-SHA-256\$4096:/);
  });
});

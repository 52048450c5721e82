import type pg from "pg";

/** Schemas of the system, never anyone's to adopt. */
const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

const OWNED = {
  schemas: `SELECT format('SCHEMA %I', n.nspname) AS object FROM pg_namespace n
    WHERE ${USER_SCHEMAS} AND n.nspowner <> $1::regrole AND n.nspowner <> 'pg_database_owner'::regrole`,
  // A sequence of an identity or serial column follows its table (and cannot be given away alone).
  relations: `SELECT format('%s %s', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass) AS object
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_SCHEMAS} AND c.relowner <> $1::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
    ORDER BY c.relkind = 'S'`,
  routines: `SELECT format('ROUTINE %s', p.oid::regprocedure) AS object FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE ${USER_SCHEMAS} AND p.proowner <> $1::regrole`,
  // Enums, domains, ranges, base and standalone composite types; array and row types follow theirs.
  types: `SELECT format('TYPE %s', t.oid::regtype) AS object FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE ${USER_SCHEMAS} AND t.typowner <> $1::regrole AND t.typtype IN ('e', 'd', 'r', 'b', 'c')
      AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
      AND NOT (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind <> 'c'))`,
} as const;

/**
 * Gives `role` every schema, table, view, sequence, routine and type of the current database that
 * another role owns (the adoption of a database from before one role per service).
 */
export async function reownObjects(client: pg.ClientBase, role: string): Promise<void> {
  const to = client.escapeIdentifier(role);
  await client.query("BEGIN");
  try {
    for (const query of Object.values(OWNED)) {
      // Re-read after each kind: giving a table away also gives its sequences, indexes and row type.
      for (const { object } of (await client.query<{ object: string }>(query, [role])).rows) {
        await client.query(`ALTER ${object} OWNER TO ${to}`);
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/**
 * Objects of the current database owned by anyone but `role`: those of the kinds above, and any
 * other object a non-bootstrap role owns (its ownership is recorded in pg_shdepend).
 */
export async function foreignOwnedObjects(client: pg.ClientBase, role: string): Promise<string[]> {
  const found: string[] = [];
  for (const query of Object.values(OWNED)) {
    found.push(...(await client.query<{ object: string }>(query, [role])).rows.map((row) => row.object));
  }
  const others = await client.query<{ object: string }>(
    `SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS object FROM pg_shdepend d
     WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND d.deptype = 'o' AND d.refobjid <> $1::regrole`,
    [role],
  );
  found.push(...others.rows.map((row) => row.object));
  return [...new Set(found)];
}

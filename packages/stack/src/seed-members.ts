import pg from "pg";
import type { DemoMember } from "@brandpool/demo-data";

const CHUNK = 1_000;

/**
 * Loads members straight into a node's database (fixtures, the demo, the benchmark): far faster
 * than importMembers through the gateway for 100,000 rows. Tags are registered in the node's
 * dictionary first, so the node sees the same ids when it starts.
 */
export async function seedMembers(databaseUrl: string, taxonomyKeys: readonly string[], members: Iterable<DemoMember>): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("INSERT INTO tag_dictionary (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING", [[...taxonomyKeys]]);
    const ids = new Map((await client.query<{ id: number; key: string }>("SELECT id, key FROM tag_dictionary")).rows.map((row) => [row.key, row.id]));
    let total = 0;
    let chunk: DemoMember[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      await client.query(
        `INSERT INTO members (external_id, name, phone, email, address, birth_date, join_date, consent_sms, consent_email, consent_mail, tag_ids)
         SELECT m.external_id, m.name, m.phone, m.email, m.address, m.birth_date::date, m.join_date::date, m.sms, m.email_ok, m.mail,
                ARRAY(SELECT x::integer FROM unnest(string_to_array(m.tags, ',')) AS x)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::boolean[], $10::boolean[], $11::text[])
           AS m(external_id, name, phone, email, address, birth_date, join_date, sms, email_ok, mail, tags)
         ON CONFLICT (external_id) DO NOTHING`,
        [
          chunk.map((m) => m.externalId),
          chunk.map((m) => m.name),
          chunk.map((m) => m.phone),
          chunk.map((m) => m.email),
          chunk.map((m) => m.address),
          chunk.map((m) => m.birthDate),
          chunk.map((m) => m.joinDate),
          chunk.map((m) => m.consent.sms),
          chunk.map((m) => m.consent.email),
          chunk.map((m) => m.consent.mail),
          chunk.map((m) => m.tags.map((key) => ids.get(key)).filter((id) => id !== undefined).join(",")),
        ],
      );
      total += chunk.length;
      chunk = [];
    };
    for (const member of members) {
      chunk.push(member);
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    return total;
  } finally {
    await client.end();
  }
}

export async function memberCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM members");
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

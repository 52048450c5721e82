import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@brandpool/postgres";
import type { DevTokenClaims } from "@brandpool/stack";
import { generateSigningKeyPair } from "@brandpool/tokens";
import type { KeyPair } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Invariant 4, last sentence: registering a brand or changing its URL or keys takes a platform
// admin and is audited, and a new brand joins the pool only when admitted. The taxonomy is the
// platform's too, and a sensitive tag stays sensitive.

const REGISTER = "mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { id admitted } }";
const UPDATE = "mutation($id: ID!, $input: UpdateBrandInput!) { updateBrand(id: $id, input: $input) { id name } }";
const ADMIT = "mutation($id: ID!, $admitted: Boolean!) { setBrandAdmitted(id: $id, admitted: $admitted) { id admitted } }";
const UPSERT_TAG = "mutation($input: TagInput!) { upsertTag(input: $input) { key labelEn sensitive } }";
const ESTIMATE = '{ brand(id: "cakehouse") { audienceEstimate(expression: "interest:baking") { count } } }';

describe("registry and taxonomy changes", () => {
  let stack: TestStack;
  let cakehouseIdp: KeyPair;
  let cakehouseNode: KeyPair;
  const platformAdmin: DevTokenClaims = { role: "platform-admin", subject: `platform-admin-${randomUUID()}@test` };

  /** The registry and the taxonomy as stored: equal before and after means nothing changed. */
  async function registry() {
    const brands = await stack.sql("coordinator", "SELECT id, name, name_zh, node_url, node_key, issuer, issuer_keys, time_zone, admitted, updated_at FROM brands ORDER BY id");
    const tags = await stack.sql("coordinator", "SELECT key, label_zh, label_en, sensitive, updated_at FROM taxonomy_tags ORDER BY key");
    return { brands, tags };
  }

  const eventsBy = (subject: string) =>
    stack.sql<{ type: string; subject: { brand?: string; key?: string }; payload: Record<string, unknown> }>(
      "coordinator",
      "SELECT type, subject, payload FROM audit_events WHERE actor->>'subject' = $1 ORDER BY seq",
      [subject],
    );

  beforeAll(async () => {
    stack = await startTestStack();
    cakehouseIdp = await generateSigningKeyPair();
    cakehouseNode = await generateSigningKeyPair();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each([
    { who: "a pieshop admin", claims: { brand: "pieshop", role: "admin", subject: `pie-admin-${randomUUID()}@test` } as DevTokenClaims },
    { who: "a pieshop analyst", claims: { brand: "pieshop", role: "analyst", subject: `pie-analyst-${randomUUID()}@test` } as DevTokenClaims },
    { who: "the platform auditor", claims: { role: "auditor", subject: `platform-auditor-${randomUUID()}@test` } as DevTokenClaims },
  ])("refuses $who every registry and taxonomy change, and changes nothing", async ({ claims }) => {
    const before = await registry();
    const attempts = [
      {
        what: "registerBrand(intruder)",
        query: REGISTER,
        variables: {
          input: { id: "intruder", name: "Intruder", nodeUrl: "http://127.0.0.1:9/graphql", nodeKey: cakehouseNode.publicJwk, issuer: "https://id.intruder.example", issuerKeys: { keys: [cakehouseIdp.publicJwk] } },
        },
      },
      { what: "updateBrand(teabar) to another node URL", query: UPDATE, variables: { id: "teabar", input: { nodeUrl: "http://127.0.0.1:9/graphql" } } },
      { what: "updateBrand(pieshop) to another issuer", query: UPDATE, variables: { id: "pieshop", input: { issuer: "https://id.intruder.example", issuerKeys: { keys: [cakehouseIdp.publicJwk] } } } },
      { what: "setBrandAdmitted(teabar, false)", query: ADMIT, variables: { id: "teabar", admitted: false } },
      { what: "upsertTag(interest:tea) relabelled", query: UPSERT_TAG, variables: { input: { dimension: "interest", value: "tea", labelZh: "茶", labelEn: "Relabelled" } } },
      { what: "upsertTag(health:pregnant) made not sensitive", query: UPSERT_TAG, variables: { input: { dimension: "health", value: "pregnant", labelZh: "孕期", labelEn: "Pregnant", sensitive: false } } },
    ];
    const answers = [];
    for (const { what, query, variables } of attempts) {
      const result = await stack.ask(claims, query, variables);
      answers.push({ what, codes: result.errors.map((error) => error.extensions?.code), data: result.data });
    }
    expect(answers).toEqual(attempts.map(({ what }) => ({ what, codes: ["FORBIDDEN"], data: null })));
    expect(await registry()).toEqual(before);
    // Each refusal is a policy denial in the platform log.
    const denials = await eventually(async () => {
      const rows = (await eventsBy(claims.subject ?? "")).filter((row) => row.type === "policy.denied");
      return rows.length >= attempts.length ? rows : undefined;
    });
    expect(new Set(denials.map((row) => row.payload.action))).toEqual(new Set(["ManageRegistry", "ManageTaxonomy"]));
  });

  it("lets a platform admin register, change and admit a brand, each change audited, and the brand joins the pool only when admitted", async () => {
    const analyst: DevTokenClaims = { brand: "pieshop", role: "analyst" };
    const nodeUrl = `http://127.0.0.1:${await freePort()}/graphql`;
    const registered = await stack.ask<{ registerBrand: { id: string; admitted: boolean } }>(platformAdmin, REGISTER, {
      input: { id: "cakehouse", name: "Cake House", nameZh: "蛋糕屋", nodeUrl, nodeKey: cakehouseNode.publicJwk, issuer: "https://id.cakehouse.example", issuerKeys: { keys: [cakehouseIdp.publicJwk] } },
    });
    expect(registered.errors).toEqual([]);
    expect(registered.data?.registerBrand).toEqual({ id: "cakehouse", admitted: false });
    // Registered but not admitted: outside the pool, so nobody may ask about its members.
    const early = await stack.ask(analyst, ESTIMATE);
    expect(early.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);

    const rotated = await generateSigningKeyPair();
    const updated = await stack.ask<{ updateBrand: { name: string } }>(platformAdmin, UPDATE, {
      id: "cakehouse",
      input: { name: "Cake House Ltd", issuerKeys: { keys: [rotated.publicJwk] } },
    });
    expect(updated.errors).toEqual([]);
    expect(updated.data?.updateBrand.name).toBe("Cake House Ltd");
    const admitted = await stack.ask<{ setBrandAdmitted: { admitted: boolean } }>(platformAdmin, ADMIT, { id: "cakehouse", admitted: true });
    expect(admitted.errors).toEqual([]);
    expect(admitted.data?.setBrandAdmitted.admitted).toBe(true);

    const [row] = await stack.sql<{ name: string; admitted: boolean; issuer_keys: unknown }>("coordinator", "SELECT name, admitted, issuer_keys FROM brands WHERE id = 'cakehouse'");
    expect(row).toEqual({ name: "Cake House Ltd", admitted: true, issuer_keys: { keys: [rotated.publicJwk] } });
    // Admitted: the gateway's Cedar check now lets the estimate through to the node, which is not running.
    const late = await eventually(async () => {
      const result = await stack.ask(analyst, ESTIMATE);
      const codes = result.errors.map((error) => error.extensions?.code);
      return codes.includes("FORBIDDEN") ? undefined : codes;
    });
    expect(late).toEqual(["UNAVAILABLE"]);

    const events = (await eventsBy(platformAdmin.subject ?? "")).filter((event) => event.subject.brand === "cakehouse");
    expect(events.map((event) => event.type)).toEqual(["brand.registered", "brand.updated", "brand.admitted"]);
    expect(events[1]?.payload).toEqual({ fields: ["issuerKeys", "name"] });
    // The log names what changed, never the key material.
    expect(JSON.stringify(events)).not.toContain(rotated.publicJwk.x);
    expect(JSON.stringify(events)).not.toContain(cakehouseIdp.publicJwk.x);
  });

  it("lets a platform admin add a tag, audited, and keeps a sensitive tag sensitive through the API and in the database", async () => {
    const added = await stack.ask<{ upsertTag: { key: string; sensitive: boolean } }>(platformAdmin, UPSERT_TAG, {
      input: { dimension: "health", value: "diabetes", labelZh: "糖尿病", labelEn: "Diabetes", sensitive: true },
    });
    expect(added.errors).toEqual([]);
    expect(added.data?.upsertTag).toMatchObject({ key: "health:diabetes", sensitive: true });
    const tagEvents = (await eventsBy(platformAdmin.subject ?? "")).filter((event) => event.subject.key === "health:diabetes");
    expect(tagEvents.map((event) => [event.type, event.payload])).toEqual([["tag.added", { sensitive: true }]]);

    const before = await registry();
    for (const key of ["health:diabetes", "health:pregnant"]) {
      const [dimension, value] = key.split(":");
      const attempt = await stack.ask(platformAdmin, UPSERT_TAG, { input: { dimension, value, labelZh: "不敏感", labelEn: "Not sensitive", sensitive: false } });
      expect({ key, codes: attempt.errors.map((error) => error.extensions?.code), data: attempt.data }).toEqual({ key, codes: ["BAD_INPUT"], data: null });
    }
    expect(await registry()).toEqual(before);

    // Behind the API's back, the database's own trigger refuses it too.
    await expect(stack.sql("coordinator", "UPDATE taxonomy_tags SET sensitive = false WHERE key = $1", ["health:pregnant"])).rejects.toMatchObject({ code: "23514" });
    expect(await registry()).toEqual(before);

    // Relabelling without saying `sensitive` keeps it on.
    const relabelled = await stack.ask<{ upsertTag: { labelEn: string; sensitive: boolean } }>(platformAdmin, UPSERT_TAG, {
      input: { dimension: "health", value: "diabetes", labelZh: "糖尿病", labelEn: "Diabetes (any type)" },
    });
    expect(relabelled.data?.upsertTag).toEqual({ key: "health:diabetes", labelEn: "Diabetes (any type)", sensitive: true });
  });

  it("fixes a dimension's cardinality with its first tag, shows it on every tag, and refuses to change it", async () => {
    const WITH_CARDINALITY = "mutation($input: TagInput!) { upsertTag(input: $input) { key cardinality } }";
    const added = await stack.ask<{ upsertTag: { key: string; cardinality: string } }>(platformAdmin, WITH_CARDINALITY, {
      input: { dimension: "tier", value: "gold", labelZh: "金卡", labelEn: "Gold tier", cardinality: "ONE" },
    });
    expect(added.errors).toEqual([]);
    expect(added.data?.upsertTag).toEqual({ key: "tier:gold", cardinality: "ONE" });
    // A second value of the dimension, without saying: it is ONE like the first.
    const second = await stack.ask<{ upsertTag: { cardinality: string } }>(platformAdmin, WITH_CARDINALITY, {
      input: { dimension: "tier", value: "silver", labelZh: "银卡", labelEn: "Silver tier" },
    });
    expect(second.data?.upsertTag.cardinality).toBe("ONE");
    const events = (await eventsBy(platformAdmin.subject ?? "")).filter((event) => event.subject.key === "tier");
    expect(events.map((event) => [event.type, event.payload])).toEqual([["dimension.added", { cardinality: "ONE" }]]);

    const tagsBefore = await stack.sql("coordinator", "SELECT key, dimension FROM taxonomy_tags ORDER BY key");
    const dimensionsBefore = await stack.sql("coordinator", "SELECT dimension, cardinality FROM taxonomy_dimensions ORDER BY dimension");
    // Tried: making a ONE dimension MANY with a new value, and a MANY one ONE with a known value.
    for (const input of [
      { dimension: "tier", value: "bronze", labelZh: "铜卡", labelEn: "Bronze tier", cardinality: "MANY" },
      { dimension: "interest", value: "tea", labelZh: "茶饮", labelEn: "Tea", cardinality: "ONE" },
      { dimension: "age", value: "25-34", labelZh: "25-34岁", labelEn: "Age 25-34", cardinality: "MANY" },
    ]) {
      const attempt = await stack.ask(platformAdmin, WITH_CARDINALITY, { input });
      expect(attempt.errors.map((error) => [error.extensions?.code, (error.extensions?.details as { fields?: { field: string }[] })?.fields?.[0]?.field])).toEqual([["BAD_INPUT", "cardinality"]]);
    }
    expect(await stack.sql("coordinator", "SELECT key, dimension FROM taxonomy_tags ORDER BY key")).toEqual(tagsBefore);
    expect(await stack.sql("coordinator", "SELECT dimension, cardinality FROM taxonomy_dimensions ORDER BY dimension")).toEqual(dimensionsBefore);
    // Behind the API's back, the database's trigger refuses it too.
    await expect(stack.sql("coordinator", "UPDATE taxonomy_dimensions SET cardinality = 'MANY' WHERE dimension = 'age'")).rejects.toMatchObject({ code: "23514" });

    const listed = await stack.ask<{ tags: { key: string; cardinality: string }[] }>(platformAdmin, "{ tags { key cardinality } }");
    const byKey = new Map(listed.data?.tags.map((tag) => [tag.key, tag.cardinality]));
    expect([byKey.get("age:25-34"), byKey.get("region:north"), byKey.get("interest:tea"), byKey.get("tier:gold")]).toEqual(["ONE", "ONE", "MANY", "ONE"]);
  });
});

import { afterAll, beforeAll, describe, it } from "vitest";
import { graphqlRequest } from "@brandpool/stack";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

const A = { brand: "pieshop", role: "analyst" } as const;
describe("explore", () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startTestStack(); });
  afterAll(async () => { await stack?.stop(); });
  const show = (label: string, r: unknown) => console.log(`### ${label}\n${JSON.stringify(r).slice(0, 1500)}`);

  it("explores", async () => {
    for (const e of ["age:18-24 and", "(age:18-24", "age:", "age:18-24 xor gender:f", "a".repeat(1001), "(".repeat(13) + "age:18-24" + ")".repeat(13), "age:18-24 and foo:bar"]) {
      const r = await stack.ask(A, "query($e: String) { members(first: 1, expression: $e) { totalCount } }", { e });
      show(`members ${e.slice(0, 30)}`, { status: r.status, errors: r.errors });
      const t = await stack.ask(A, 'query($e: String!) { brand(id: "teabar") { audienceEstimate(expression: $e) { count } } }', { e });
      show(`teabar estimate ${e.slice(0, 30)}`, { status: t.status, errors: t.errors, data: t.data });
      const p = await stack.ask(A, 'query($e: String!) { brand(id: "pieshop") { audienceEstimate(expression: $e) { count } } }', { e });
      show(`pieshop estimate ${e.slice(0, 30)}`, { status: p.status, errors: p.errors, data: p.data });
      const m = await stack.ask(A, 'mutation($e: String) { tagMembers(tag: "interest:tea", expression: $e) { affected } }', { e });
      show(`tag ${e.slice(0, 30)}`, { status: m.status, errors: m.errors, data: m.data });
    }
    show("first 101", await stack.ask(A, "{ members(first: 101) { totalCount } }"));
    show("first 0", await stack.ask(A, "{ members(first: 0) { totalCount } }"));
    show("first -1", await stack.ask(A, "{ members(first: -1) { totalCount } }"));
    show("after garbage", await stack.ask(A, '{ members(first: 1, after: "garbage!") { totalCount } }'));
    show("aliases", await stack.ask(A, `{ ${Array.from({ length: 20 }, (_, i) => `v${i}: viewer { brandId }`).join(" ")} }`));
    let deep = "name";
    for (let i = 0; i < 14; i++) deep = `ofType { ${deep} }`;
    show("deep", await stack.ask(A, `{ __type(name: "Query") { fields { type { ${deep} } } } }`));
    show("tokens", await stack.ask(A, `{ viewer { ${Array.from({ length: 2100 }, () => "brandId").join(" ")} } }`));
    const token = await stack.token(A);
    const batch = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify([{ query: "{ viewer { brandId } }" }, { query: "{ viewer { brandId } }" }]) });
    show("batch", { status: batch.status, body: await batch.text() });
    try {
      const big = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query: "{ viewer { brandId } }", variables: { pad: "x".repeat(120_000) } }) });
      show("big", { status: big.status, body: await big.text() });
    } catch (error) { show("big threw", String(error) + String((error as Error).cause)); }
    const rows = Array.from({ length: 5001 }, (_, i) => ({ externalId: `x${i}`, name: "a", joinDate: "2020-01-01" }));
    try {
      const r = await graphqlRequest(stack.gatewayUrl, "mutation($rows: [MemberInput!]!) { importMembers(rows: $rows) { inserted } }", { token, variables: { rows } });
      show("5001 rows", r);
    } catch (error) { show("5001 threw", String(error) + String((error as Error).cause)); }
    show("viewer after", await stack.ask(A, "{ viewer { brandId } }"));
  });
});

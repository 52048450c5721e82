import { describe, expect, it } from "vitest";
import { PersistedQueryStore, persistedQueryScope } from "./persisted-query-store.js";

describe("PersistedQueryStore", () => {
  it("finds a text only in the scope that registered it", () => {
    const store = new PersistedQueryStore();
    store.set("brand:pieshop", "h", "{ a }");
    expect(store.get("brand:pieshop", "h")).toBe("{ a }");
    expect(store.get("brand:teabar", "h")).toBeUndefined();
    expect(store.get("platform", "h")).toBeUndefined();
  });

  it("forgets the least recently used texts past its budget", () => {
    const store = new PersistedQueryStore(10);
    store.set("s", "a", "aaaa");
    store.set("s", "b", "bbbb");
    expect(store.get("s", "a")).toBe("aaaa");
    store.set("s", "c", "cccc");
    expect([store.get("s", "a"), store.get("s", "b"), store.get("s", "c")]).toEqual(["aaaa", undefined, "cccc"]);
    store.set("s", "huge", "x".repeat(11));
    expect(store.get("s", "huge")).toBeUndefined();
    expect(store.get("s", "a")).toBe("aaaa");
  });
});

describe("persistedQueryScope", () => {
  it("gives each brand, each node and the platform a scope of its own", () => {
    const scopes = [
      persistedQueryScope({ kind: "user", subject: "a", brand: "pieshop", role: "analyst", tokenId: "1" }),
      persistedQueryScope({ kind: "user", subject: "b", brand: "pieshop", role: "admin", tokenId: "2" }),
      persistedQueryScope({ kind: "user", subject: "c", brand: "teabar", role: "analyst", tokenId: "3" }),
      persistedQueryScope({ kind: "user", subject: "d", brand: null, role: "auditor", tokenId: "4" }),
      persistedQueryScope({ kind: "node", subject: "node:pieshop", brand: "pieshop", tokenId: "5" }),
    ];
    expect(scopes).toEqual(["brand:pieshop", "brand:pieshop", "brand:teabar", "platform", "node:pieshop"]);
  });
});

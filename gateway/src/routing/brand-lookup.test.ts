import { describe, expect, it } from "vitest";
import { brandKeyLookups } from "./brand-lookup.js";

describe("brand key lookups the gateway may answer without the coordinator", () => {
  it("reads the planner's key fetch of brand(id), literal or through a variable, aliases and all", () => {
    expect(brandKeyLookups('{brand(id:"teabar"){__typename id}}', {})).toEqual([
      { key: "brand", id: "teabar", fields: [{ key: "__typename", name: "__typename" }, { key: "id", name: "id" }] },
    ]);
    expect(brandKeyLookups('query($id:ID!){a:brand(id:$id){__typename id} b:brand(id:"x"){id}}', { id: "stylehub" })?.map((l) => [l.key, l.id])).toEqual([
      ["a", "stylehub"],
      ["b", "x"],
    ]);
  });

  it("leaves to the coordinator any fetch that asks for more than the key", () => {
    expect(brandKeyLookups('{brand(id:"teabar"){__typename id name}}', {})).toBeUndefined();
    expect(brandKeyLookups('{brand(id:"teabar"){id} viewer{brandId}}', {})).toBeUndefined();
    expect(brandKeyLookups("{brands{id}}", {})).toBeUndefined();
    expect(brandKeyLookups('mutation{brand(id:"teabar"){id}}', {})).toBeUndefined();
    expect(brandKeyLookups("query($id:ID!){brand(id:$id){id}}", {})).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { fetchShape } from "./entity-fetch.js";

describe("telling entity fetches from root fetches", () => {
  it("reads the query planner's _entities fetch as an entity fetch, with its variable", () => {
    const planned = 'query Estimate__brand__1($representations:[_Any!]!){_entities(representations:$representations){...on Brand{audienceEstimate(expression:"interest:tea",channel:SMS){count}}}}';
    expect(fetchShape(planned)).toEqual({ kind: "entities", variable: "representations" });
  });

  it("reads a root fetch that carries a client variable named representations as a root fetch", () => {
    expect(fetchShape("query($representations:String){members(expression:$representations){totalCount}}")).toEqual({ kind: "root" });
    expect(fetchShape('mutation($representations:[ID!]){tagMembers(tag:"interest:pets",ids:$representations){affected}}')).toEqual({ kind: "root" });
  });

  it("refuses _entities mixed with other root fields, aliased, or fed a literal", () => {
    expect(fetchShape("query($r:[_Any!]!){_entities(representations:$r){__typename} members{totalCount}}").kind).toBe("malformed");
    expect(fetchShape("query($r:[_Any!]!){e:_entities(representations:$r){__typename}}").kind).toBe("malformed");
    expect(fetchShape('{_entities(representations:[{__typename:"Brand",id:"teabar"}]){__typename}}').kind).toBe("malformed");
    expect(fetchShape("{ not graphql").kind).toBe("malformed");
  });
});

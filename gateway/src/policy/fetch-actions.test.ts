import { describe, expect, it } from "vitest";
import { actionsOfFetch } from "./fetch-actions.js";

const MAP = {
  "Brand.audienceEstimate": "EstimateAudience",
  "Brand.verifyAuditChain": "ReadBrandAudit",
  "Mutation.importMembers": "ImportMembers",
  "Mutation.tagMembers": "TagMembers",
  "Query.members": "ListMembers",
  "Query.viewer": "ReadViewer",
};

const ENTITIES = "query($representations:[_Any!]!){_entities(representations:$representations)";

describe("the Cedar actions a fetch of the query plan needs", () => {
  it("names each root field's action, aliases and all", () => {
    expect(actionsOfFetch("{ a: members(first: 1) { totalCount } viewer { brandId } }", MAP)).toEqual([
      { field: "Query.members", action: "ListMembers" },
      { field: "Query.viewer", action: "ReadViewer" },
    ]);
    expect(actionsOfFetch('mutation { tagMembers(tag: "interest:tea", expression: "age:18-24") { affected } }', MAP)).toEqual([
      { field: "Mutation.tagMembers", action: "TagMembers" },
    ]);
  });

  it("gives an unknown root field the action null, so the data source denies it", () => {
    expect(actionsOfFetch("{ secrets { id } }", MAP)).toEqual([{ field: "Query.secrets", action: null }]);
    // A query root field that shares its name with a mutation is not that mutation.
    expect(actionsOfFetch("{ importMembers { inserted } }", MAP)).toEqual([{ field: "Query.importMembers", action: null }]);
  });

  it("ignores __typename at the root and in entities", () => {
    expect(actionsOfFetch("{ __typename viewer { brandId } }", MAP)).toEqual([{ field: "Query.viewer", action: "ReadViewer" }]);
    expect(actionsOfFetch(`${ENTITIES}{__typename ...on Brand{__typename}}}`, MAP)).toEqual([]);
  });

  it("names the fields of an entity fetch by the type of their inline fragment", () => {
    const query = `${ENTITIES}{...on Brand{audienceEstimate(expression:"age:18-24"){count}verifyAuditChain{ok}}}}`;
    expect(actionsOfFetch(query, MAP)).toEqual([
      { field: "Brand.audienceEstimate", action: "EstimateAudience" },
      { field: "Brand.verifyAuditChain", action: "ReadBrandAudit" },
    ]);
  });

  it("treats entity fields without a declared action as plain data", () => {
    expect(actionsOfFetch(`${ENTITIES}{...on Brand{id name}}}`, MAP)).toEqual([]);
  });

  it("finds entity fields behind a named fragment spread (the planner reuses the caller's fragments)", () => {
    const query = `${ENTITIES}{...on Brand{...B}}}fragment B on Brand{x:audienceEstimate(expression:"age:18-24"){...E}}fragment E on AudienceEstimate{count}`;
    expect(actionsOfFetch(query, MAP)).toEqual([{ field: "Brand.audienceEstimate", action: "EstimateAudience" }]);
  });

  it("finds root fields behind fragments and denies a spread of a fragment the document lacks", () => {
    expect(actionsOfFetch("{...Q ...on Query{viewer{brandId}}}fragment Q on Query{members{totalCount}}", MAP)).toEqual([
      { field: "Query.members", action: "ListMembers" },
      { field: "Query.viewer", action: "ReadViewer" },
    ]);
    expect(actionsOfFetch("{...Missing}", MAP)).toEqual([{ field: "?", action: null }]);
    expect(actionsOfFetch(`${ENTITIES}{...on Brand{...Missing}}}`, MAP)).toEqual([{ field: "?", action: null }]);
  });

  it("denies a document without an operation", () => {
    expect(actionsOfFetch("fragment F on Query { viewer { brandId } }", MAP)).toEqual([{ field: "?", action: null }]);
  });
});

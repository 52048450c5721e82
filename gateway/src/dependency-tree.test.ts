import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { declaredDependencies, dependencyTree, importedPackages, shippedSources } from "./dependency-tree.fixture.js";

const GATEWAY = fileURLToPath(new URL("..", import.meta.url));
const SUBGRAPH_KIT = fileURLToPath(new URL("../../packages/subgraph-kit", import.meta.url));
// The subgraphs' stack: the gateway serves HTTP without it (@brandpool/http-server).
const SUBGRAPH_ONLY = ["type-graphql", "@apollo/subgraph", "@brandpool/subgraph-kit"];

describe("the gateway's dependencies", () => {
  it("hold neither type-graphql nor @apollo/subgraph, however deep", () => {
    const tree = dependencyTree(GATEWAY);
    expect(tree.has("@brandpool/http-server")).toBe(true);
    expect(SUBGRAPH_ONLY.filter((name) => tree.has(name)).map((name) => tree.get(name))).toEqual([]);
  });

  it("are declared for every package the gateway's code imports", () => {
    const declared = new Set(declaredDependencies(GATEWAY));
    const undeclared = shippedSources(fileURLToPath(new URL(".", import.meta.url))).flatMap((file) =>
      importedPackages(readFileSync(file, "utf8"))
        .filter((name) => !declared.has(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it("finds type-graphql through the subgraph kit (the check can fail)", () => {
    const tree = dependencyTree(SUBGRAPH_KIT);
    expect(tree.get("type-graphql")).toBe("type-graphql");
    expect(tree.get("@apollo/subgraph")).toBe("@apollo/subgraph");
    expect(importedPackages('import "reflect-metadata";\nimport { buildSchema } from "type-graphql";\nimport { x } from "./x.js";\nimport { readFile } from "node:fs/promises";')).toEqual([
      "reflect-metadata",
      "type-graphql",
    ]);
    expect(importedPackages('export { a } from "@brandpool/subgraph-kit/testing";\nconst m = await import("@apollo/subgraph");')).toEqual([
      "@brandpool/subgraph-kit",
      "@apollo/subgraph",
    ]);
  });
});

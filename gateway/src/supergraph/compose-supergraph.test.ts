import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "./compose-supergraph.js";
import { POLICY_MAP_FILE, SUPERGRAPH_FILE } from "./supergraph-files.js";

describe("the gateway's committed supergraph", () => {
  it("is what the subgraphs' committed SDL and policy maps compose to (run `npm run sdl` if not)", async () => {
    const { supergraph, policyMap } = await composeSupergraph();
    expect(await readFile(SUPERGRAPH_FILE, "utf8")).toBe(supergraph);
    expect(await readFile(POLICY_MAP_FILE, "utf8")).toBe(policyMap);
  });
});

import { fileURLToPath } from "node:url";

/** The supergraph composed offline from the subgraphs' committed SDL (`npm run sdl`). */
export const SUPERGRAPH_FILE = fileURLToPath(new URL("../../supergraph.graphql", import.meta.url));
/** `Type.field` -> Cedar action, from the subgraphs' committed policy maps. */
export const POLICY_MAP_FILE = fileURLToPath(new URL("../../policy-map.json", import.meta.url));

export const SUBGRAPH_SDL = {
  coordinator: fileURLToPath(new URL("../../../subgraphs/coordinator/schema.graphql", import.meta.url)),
  brand: fileURLToPath(new URL("../../../subgraphs/brand/schema.graphql", import.meta.url)),
};
export const SUBGRAPH_POLICY_MAPS = {
  coordinator: fileURLToPath(new URL("../../../subgraphs/coordinator/policy-map.json", import.meta.url)),
  brand: fileURLToPath(new URL("../../../subgraphs/brand/policy-map.json", import.meta.url)),
};

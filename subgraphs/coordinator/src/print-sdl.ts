import "reflect-metadata";
import { fileURLToPath } from "node:url";
import { writeGeneratedFiles } from "@brandpool/generated-files";
import { policyMapOf, printFederatedSdl } from "@brandpool/subgraph-kit";
import { COORDINATOR_RESOLVERS, buildCoordinatorSchema } from "./schema.js";

/** The committed SDL and policy map of the coordinator subgraph, which the gateway composes. */
export const SDL_FILE = fileURLToPath(new URL("../schema.graphql", import.meta.url));
export const POLICY_MAP_FILE = fileURLToPath(new URL("../policy-map.json", import.meta.url));

export async function renderCoordinatorArtifacts(): Promise<{ sdl: string; policyMap: string }> {
  const schema = await buildCoordinatorSchema({
    container: { get: () => undefined },
    authChecker: () => false,
  });
  return {
    sdl: printFederatedSdl(schema),
    policyMap: `${JSON.stringify(policyMapOf([...COORDINATOR_RESOLVERS]), null, 2)}\n`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { sdl, policyMap } = await renderCoordinatorArtifacts();
  await writeGeneratedFiles([
    { path: SDL_FILE, content: sdl },
    { path: POLICY_MAP_FILE, content: policyMap },
  ]);
}

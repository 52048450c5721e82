import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { writeGeneratedFiles } from "@brandpool/generated-files";
import { POLICY_MAP_FILE, SUBGRAPH_POLICY_MAPS, SUBGRAPH_SDL, SUPERGRAPH_FILE } from "./supergraph-files.js";

/**
 * Composes the supergraph from the committed SDL of both subgraphs. The brand subgraph's URL is
 * a placeholder: the gateway routes each of its fetches to a node from the registry.
 */
export async function composeSupergraph(): Promise<{ supergraph: string; policyMap: string }> {
  const services = await Promise.all(
    (Object.keys(SUBGRAPH_SDL) as (keyof typeof SUBGRAPH_SDL)[]).map(async (name) => ({
      name,
      url: `http://${name}.subgraph.invalid/graphql`,
      typeDefs: parse(await readFile(SUBGRAPH_SDL[name], "utf8")),
    })),
  );
  const result = composeServices(services);
  if (result.errors?.length || !result.supergraphSdl) {
    throw new Error(`Composition failed:\n${(result.errors ?? []).map((error) => `  ${error.message}`).join("\n")}`);
  }
  const maps: Record<string, string> = {};
  for (const file of Object.values(SUBGRAPH_POLICY_MAPS)) Object.assign(maps, JSON.parse(await readFile(file, "utf8")));
  const sorted = Object.fromEntries(Object.entries(maps).sort(([a], [b]) => a.localeCompare(b)));
  return { supergraph: `${result.supergraphSdl.trim()}\n`, policyMap: `${JSON.stringify(sorted, null, 2)}\n` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { supergraph, policyMap } = await composeSupergraph();
  await writeGeneratedFiles([
    { path: SUPERGRAPH_FILE, content: supergraph },
    { path: POLICY_MAP_FILE, content: policyMap },
  ]);
}

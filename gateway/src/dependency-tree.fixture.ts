import { existsSync, readFileSync, readdirSync, realpathSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/** The names a package declares it loads; with `dev`, its devDependencies too. */
export function declaredDependencies(dir: string, dev = false): string[] {
  const manifest = readManifest(dir);
  return [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...(dev ? Object.keys(manifest.devDependencies ?? {}) : []),
  ];
}

/** Where Node finds package `name` from `from`: the nearest `node_modules` up the tree (workspace links followed). */
function installedAt(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package that the package in `root` can load at run time, as installed: its dependencies
 * (and its own devDependencies), theirs, and so on. Each name maps to the chain that brings it in,
 * e.g. `@brandpool/subgraph-kit > type-graphql`. A declared package that is not installed (an
 * optional one, a peer nobody installed) cannot be loaded, so it is not in the tree.
 */
export function dependencyTree(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const visited = new Set<string>([realpathSync(root)]);
  const queue: { dir: string; names: string[]; chain: string }[] = [{ dir: root, names: declaredDependencies(root, true), chain: "" }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const name of next.names) {
      const dir = installedAt(name, next.dir);
      if (!dir) continue;
      const chain = next.chain ? `${next.chain} > ${name}` : name;
      if (!found.has(name)) found.set(name, chain);
      if (visited.has(dir)) continue;
      visited.add(dir);
      queue.push({ dir, names: declaredDependencies(dir), chain });
    }
  }
  return found;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'./][^"']*)["']/g;
const BUILTINS = new Set(builtinModules);

/** The packages a source text imports (bare specifiers; `node:` and built-in modules left out), as package names. */
export function importedPackages(source: string): string[] {
  const names = new Set<string>();
  for (const [, specifier = ""] of source.matchAll(IMPORT)) {
    if (specifier.startsWith("node:") || BUILTINS.has(specifier.split("/")[0] ?? "")) continue;
    const parts = specifier.split("/");
    names.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier));
  }
  return [...names];
}

/** The TypeScript files of a `src` folder that ship (tests and fixtures left out). */
export function shippedSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".fixture.ts"))
    .map((file) => join(dir, file));
}

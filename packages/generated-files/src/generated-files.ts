import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";

export interface GeneratedFile {
  path: string;
  content: string;
}

/**
 * Writes generated files (`npm run sdl`), or with `--check` in argv only compares them and exits
 * 1 naming the stale ones. Used by the scripts that print SDL, policy maps and the supergraph.
 */
export async function writeGeneratedFiles(files: readonly GeneratedFile[], argv: readonly string[] = process.argv): Promise<void> {
  if (!argv.includes("--check")) {
    for (const file of files) await writeFile(file.path, file.content);
    return;
  }
  const stale: string[] = [];
  for (const file of files) {
    if ((await readFile(file.path, "utf8").catch(() => "")) !== file.content) stale.push(relative(process.cwd(), file.path));
  }
  if (stale.length > 0) {
    process.stderr.write(`Stale generated files: ${stale.join(", ")}. Run \`npm run sdl\`.\n`);
    process.exit(1);
  }
}

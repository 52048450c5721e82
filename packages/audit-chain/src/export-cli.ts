#!/usr/bin/env node
// An auditor's export of an audit log through the gateway, as JSON Lines on stdout:
//   npm run -s audit:export -- --token <jwt> [--brand <id>] [--gateway <url>] > log.ndjson
// Without --brand, the platform log (platform auditors); with it, that brand node's log (its own
// auditors and the platform auditor). The file is what `npm run audit:verify` checks.
// Exit codes: 0 written, 1 refused or unreachable, 2 usage error.

const USAGE = `usage: audit-export --token <jwt> [--brand <id>] [--gateway <url>]
  Writes an audit log as JSON Lines to stdout: the platform log, or with --brand that brand node's log.
  --gateway defaults to http://localhost:4000/graphql.`;

const PAGE = 1000;

interface Page {
  lines: string[];
  lastSequence: number | null;
}

function parseArgs(args: readonly string[]): { token: string; brand: string | null; gateway: string } | null {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (!name || !["--token", "--brand", "--gateway"].includes(name) || value === undefined || value === "" || options.has(name)) return null;
    options.set(name, value);
  }
  const token = options.get("--token");
  if (!token) return null;
  return { token, brand: options.get("--brand") ?? null, gateway: options.get("--gateway") ?? "http://localhost:4000/graphql" };
}

async function fetchPage(args: { token: string; brand: string | null; gateway: string }, after: number): Promise<Page> {
  const query = args.brand
    ? "query($id: ID!, $after: Int, $first: Int) { brand(id: $id) { auditExport(after: $after, first: $first) { lines lastSequence } } }"
    : "query($after: Int, $first: Int) { auditExport(after: $after, first: $first) { lines lastSequence } }";
  const response = await fetch(args.gateway, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${args.token}` },
    body: JSON.stringify({ query, variables: { id: args.brand, after, first: PAGE } }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: { auditExport?: Page; brand?: { auditExport?: Page | null } | null };
    errors?: { message?: string; extensions?: { code?: string } }[];
  };
  const page = args.brand ? body.data?.brand?.auditExport : body.data?.auditExport;
  if (!page || body.errors?.length) {
    const error = body.errors?.[0];
    throw new Error(`the gateway refused the export: ${error?.extensions?.code ?? `HTTP ${response.status}`}${error?.message ? ` (${error.message})` : ""}`);
  }
  return page;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let after = 0;
  try {
    for (;;) {
      const page = await fetchPage(args, after);
      for (const line of page.lines) {
        // Respect back-pressure: an export can be far larger than memory.
        if (!process.stdout.write(line)) await new Promise((resolve) => process.stdout.once("drain", resolve));
      }
      if (page.lastSequence === null || page.lines.length < PAGE) return 0;
      after = page.lastSequence;
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

// The lead of docs/v8-crash/README.md, alone: Node's own fetch (undici) aborted by
// AbortSignal.timeout while the server is slow, thousands of times, in async code shaped like a
// node's job runner (Promise.all over Array.map, JSON bodies, errors caught and counted). No
// project code: if this process dies with "Fatal error ... DoComputeBuiltinContinuation", the
// crash needs nothing of brandpool's.
//
//   node docs/v8-crash/undici-abort.mjs                     (TurboFan on, as brand nodes run)
//   node --max-opt=2 docs/v8-crash/undici-abort.mjs         (the cap)
//   N=200000 CONCURRENCY=32 node docs/v8-crash/undici-abort.mjs
//
// The server runs in a child process (so its own load does not share the client's isolate) and
// answers after 0 to 20 ms; each call's timeout is 1 to 15 ms, so about half are aborted.
import { fork } from "node:child_process";
import { createServer } from "node:http";

if (process.argv[2] === "server") {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      setTimeout(() => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: { echoed: body.length, at: Date.now() } }));
      }, Math.random() * 20);
    });
  });
  server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
} else {
  const total = Number(process.env.N ?? 100_000);
  const concurrency = Number(process.env.CONCURRENCY ?? 16);
  const child = fork(new URL(import.meta.url).pathname, ["server"], { execArgv: [] });
  const port = await new Promise((resolve) => child.once("message", resolve));
  const url = `http://127.0.0.1:${port}/graphql`;
  const counts = { ok: 0, aborted: 0, other: 0 };
  const call = async (i) => {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "mutation { recordEvents }", variables: { events: [{ id: i, type: "estimate.answered" }] } }),
        signal: AbortSignal.timeout(1 + Math.floor(Math.random() * 15)),
      });
      const parsed = await response.json();
      if (parsed.data) counts.ok += 1;
    } catch (error) {
      if (error?.name === "TimeoutError" || error?.name === "AbortError") counts.aborted += 1;
      else {
        if (counts.other === 0) console.log("first other error:", error);
        counts.other += 1;
      }
    }
  };
  const started = Date.now();
  for (let done = 0; done < total; done += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, total - done) }, (_, k) => call(done + k)));
    if ((done / concurrency) % 500 === 0) console.log(`${done} calls, ${JSON.stringify(counts)}, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  console.log(`done: ${total} calls, ${JSON.stringify(counts)}, flags ${JSON.stringify(process.execArgv)}, no crash`);
  child.kill();
}

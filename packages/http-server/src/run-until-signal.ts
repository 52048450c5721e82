import type { HttpService } from "./serve-http.js";

/** Starts a service, prints where it listens, and closes it cleanly on SIGINT or SIGTERM. */
export async function runUntilSignal(label: string, start: () => Promise<HttpService>): Promise<void> {
  const service = await start();
  process.stdout.write(`${label} listening at ${service.url}\n`);
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      service.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

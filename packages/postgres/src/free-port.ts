import { createServer } from "node:net";

/**
 * Ports are picked below Linux's ephemeral range (32768 and up): the OS hands those out for port
 * 0 and as the local ports of outgoing connections, so a port found free there could be taken by
 * any connection before the service that was given it binds it. Each vitest worker (and the main
 * process, as 0) gets its own block of 1,000, so parallel test files never pick the same port.
 */
const FIRST_PORT = 20_000;
const BLOCK = 1_000;
const BLOCKS = 12;

let offset = Math.floor(Math.random() * BLOCK);

function blockStart(): number {
  const worker = Number(process.env.VITEST_POOL_ID ?? 0);
  return FIRST_PORT + ((Number.isSafeInteger(worker) && worker > 0 ? worker : 0) % BLOCKS) * BLOCK;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago, from this process's block. */
export async function freePort(): Promise<number> {
  const start = blockStart();
  for (let tried = 0; tried < BLOCK; tried += 1) {
    const port = start + (offset % BLOCK);
    offset += 1;
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port in ${start}-${start + BLOCK - 1}`);
}

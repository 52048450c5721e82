import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "./free-port.js";

describe("freePort", () => {
  it("gives distinct ports below the OS's ephemeral range, each one that can be listened on", async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_000);
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("skips a port that is taken (tried: holding the next candidate open)", async () => {
    const first = await freePort();
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(first + 1, "127.0.0.1", () => resolve()));
    try {
      const next = await freePort();
      expect(next).not.toBe(first + 1);
    } finally {
      await new Promise<void>((resolve) => held.close(() => resolve()));
    }
  });
});

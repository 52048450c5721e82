import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@brandpool/errors";
import { RoutingTable } from "./routing-table.js";

const KEY = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "k" };
const route = (id: string) => ({ id, nodeUrl: `http://127.0.0.1:1/${id}`, admitted: true, issuer: "iss", issuerKeys: { keys: [KEY] }, nodeKey: KEY });

describe("the routing table when the coordinator cannot be read", () => {
  let up: boolean;
  let reads: number;
  let table: RoutingTable;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    up = true;
    reads = 0;
    table = new RoutingTable(
      async () => {
        reads += 1;
        if (!up) throw new AppError("UNAVAILABLE");
        return { routingTable: [route("pieshop")] };
      },
      { ttlMs: 5_000, maxStaleMs: 600_000 },
    );
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps serving the last table read until the staleness bound, reading again at most once per TTL", async () => {
    expect((await table.get("pieshop"))?.id).toBe("pieshop");
    up = false;
    vi.setSystemTime(1_000_000 + 6_000);
    expect((await table.get("pieshop"))?.id).toBe("pieshop");
    const afterFirstFailure = reads;
    for (let i = 0; i < 20; i += 1) expect((await table.get("pieshop"))?.id).toBe("pieshop");
    // An unknown brand does not make every call wait on a coordinator known to be down either.
    expect(await table.get("nosuchbrand")).toBeUndefined();
    expect(reads).toBe(afterFirstFailure);
    vi.setSystemTime(1_000_000 + 599_000);
    expect((await table.get("pieshop"))?.id).toBe("pieshop");
  });

  it("answers UNAVAILABLE past the bound, and routes again once the coordinator answers", async () => {
    await table.get("pieshop");
    up = false;
    vi.setSystemTime(1_000_000 + 600_001);
    await expect(table.get("pieshop")).rejects.toMatchObject({ code: "UNAVAILABLE" });
    up = true;
    vi.setSystemTime(1_000_000 + 606_000);
    expect((await table.get("pieshop"))?.id).toBe("pieshop");
  });

  it("has nothing to serve before its first read", async () => {
    up = false;
    await expect(table.get("pieshop")).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});

import { describe, expect, it } from "vitest";
import { SeenTokenIds } from "./seen-token-ids.js";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("SeenTokenIds", () => {
  it("accepts an id once and refuses it again while it is held", () => {
    const time = clock();
    const seen = new SeenTokenIds({ maxEntries: 10, now: time.now });
    expect(seen.remember("a", time.now() + 60_000)).toBe("first-use");
    expect(seen.remember("a", time.now() + 60_000)).toBe("replayed");
    time.advance(59_999);
    expect(seen.remember("a", time.now() + 60_000)).toBe("replayed");
  });

  it("sweeps expired ids as new ones arrive", () => {
    const time = clock();
    const seen = new SeenTokenIds({ maxEntries: 1_000, now: time.now });
    for (let i = 0; i < 100; i++) seen.remember(`old-${i}`, time.now() + 60_000);
    expect(seen.size).toBe(100);
    time.advance(60_000);
    seen.remember("new", time.now() + 60_000);
    expect(seen.size).toBe(1);
  });

  it("refuses a new id when full of live ones instead of forgetting one", () => {
    const time = clock();
    const seen = new SeenTokenIds({ maxEntries: 3, now: time.now });
    for (const id of ["a", "b", "c"]) expect(seen.remember(id, time.now() + 60_000)).toBe("first-use");
    expect(seen.remember("d", time.now() + 60_000)).toBe("full");
    expect(seen.remember("a", time.now() + 60_000)).toBe("replayed");
    expect(seen.size).toBe(3);
  });

  it("makes room at the bound by sweeping an expired id that sits behind a live one", () => {
    const time = clock();
    const seen = new SeenTokenIds({ maxEntries: 3, now: time.now });
    seen.remember("long", time.now() + 120_000);
    seen.remember("short-1", time.now() + 10_000);
    seen.remember("short-2", time.now() + 10_000);
    time.advance(10_000);
    expect(seen.remember("d", time.now() + 60_000)).toBe("first-use");
    expect(seen.size).toBe(2);
    expect(seen.remember("long", time.now() + 60_000)).toBe("replayed");
  });
});

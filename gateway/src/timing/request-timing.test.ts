import { describe, expect, it } from "vitest";
import { RequestTiming } from "./request-timing.js";

const durations = (header: string) => Object.fromEntries(header.split(", ").map((entry) => [entry.split(";")[0], Number(entry.split("dur=")[1])]));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("RequestTiming", () => {
  it("lists the gateway's stages in order, zero for a stage that did not run", () => {
    const timing = new RequestTiming();
    timing.add("cedar", 0.25);
    timing.add("cedar", 0.5);
    const header = timing.header();
    expect(header.split(", ").map((entry) => entry.split(";")[0])).toEqual(["jwt", "cedar", "plan", "mint", "fetch", "total"]);
    expect(durations(header)).toMatchObject({ jwt: 0, cedar: 0.75 });
  });

  it("counts fetches in flight together once (wall time), and keeps the longest of each node stage", async () => {
    const timing = new RequestTiming();
    await Promise.all([timing.fetch(() => sleep(40)), timing.fetch(() => sleep(40)), timing.fetch(() => sleep(40))]);
    timing.nodeHeader("count;dur=1.5, total;dur=3");
    timing.nodeHeader("count;dur=2.25;desc=\"bitmap\", total;dur=2");
    const figures = durations(timing.header());
    expect(figures.fetch).toBeGreaterThanOrEqual(35);
    expect(figures.fetch).toBeLessThan(100);
    expect(figures).toMatchObject({ "node-count": 2.25, "node-total": 3 });
  });

  it("skips malformed node entries instead of passing them on", () => {
    const timing = new RequestTiming();
    timing.nodeHeader("count, bad name;dur=1, x;dur=soon, evil\r\nset-cookie;dur=1, ok;dur=1");
    expect(Object.keys(durations(timing.header())).filter((name) => name?.startsWith("node-"))).toEqual(["node-ok"]);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { coalescedNudge } from "./coalesced-nudge.js";

describe("a coalesced nudge", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks for one run for a burst of writes, after the window, and for another after the next write", () => {
    vi.useFakeTimers();
    const nudge = vi.fn();
    const soon = coalescedNudge(nudge, 100);
    for (let i = 0; i < 20; i++) soon();
    expect(nudge).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(nudge).toHaveBeenCalledTimes(1);
    soon();
    vi.advanceTimersByTime(99);
    expect(nudge).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(nudge).toHaveBeenCalledTimes(2);
  });
});

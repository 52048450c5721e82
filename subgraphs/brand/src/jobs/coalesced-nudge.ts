/**
 * A nudge that at most once per `windowMs` asks for a run: the first call arms a timer, calls
 * until it fires add nothing, and the run it asks for takes everything written meanwhile. Every
 * estimate appends an event for the coordinator; nudged one by one, each queued a pg-boss job, a
 * push through the gateway and a signed head of its own, competing with the next estimate for
 * the same two cores.
 */
export function coalescedNudge(nudge: () => void, windowMs: number): () => void {
  let armed: NodeJS.Timeout | null = null;
  return () => {
    if (armed) return;
    armed = setTimeout(() => {
      armed = null;
      nudge();
    }, windowMs);
    // A timer must not hold a stopping process; the next tick pushes what it did not.
    armed.unref();
  };
}

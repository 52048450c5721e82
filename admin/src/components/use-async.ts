import { useCallback, useEffect, useRef, useState } from "react";

export type AsyncState<T> = { status: "loading" } | { status: "error"; error: unknown } | { status: "done"; data: T };

/** Runs `load` on mount and whenever `deps` change; `reload` runs it again. Stale answers are dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    const id = ++run.current;
    // A reload keeps what is shown until the new answer arrives (no flash, no lost form state).
    setState((previous) => (previous.status === "done" ? previous : { status: "loading" }));
    load().then(
      (data) => id === run.current && setState({ status: "done", data }),
      (error: unknown) => id === run.current && setState({ status: "error", error }),
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [state, reload];
}

import { readFileSync } from "node:fs";

/**
 * Peak resident set (VmHWM) of a process in MiB, from /proc/<pid>/status; undefined where there
 * is no /proc (not Linux) or the process is gone.
 */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return undefined;
  }
}

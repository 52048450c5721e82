import type pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { withTransaction } from "./transaction.js";

/** A pool handing out one fake client that records its statements and how it was released. */
function fakePool(options: { failOn?: readonly string[] } = {}) {
  const statements: string[] = [];
  const release = vi.fn();
  const client = {
    query: vi.fn(async (text: string) => {
      statements.push(text);
      if (options.failOn?.includes(text)) throw new Error(`${text} failed`);
      return { rows: [], rowCount: 0 };
    }),
    release,
  };
  const pool = { connect: vi.fn(async () => client) } as unknown as pg.Pool;
  return { pool, statements, release };
}

describe("withTransaction", () => {
  it("commits and returns the client to the pool for reuse", async () => {
    const { pool, statements, release } = fakePool();
    await expect(withTransaction(pool, {}, async () => "done")).resolves.toBe("done");
    expect(statements).toEqual(["BEGIN", "COMMIT"]);
    expect(release).toHaveBeenCalledOnce();
    expect(release.mock.calls[0]?.[0]).toBeUndefined();
  });

  it("rolls back a failed work, throws its error, and returns the client for reuse", async () => {
    const { pool, statements, release } = fakePool();
    await expect(withTransaction(pool, {}, async () => Promise.reject(new Error("work failed")))).rejects.toThrow("work failed");
    expect(statements).toEqual(["BEGIN", "ROLLBACK"]);
    expect(release).toHaveBeenCalledOnce();
    expect(release.mock.calls[0]?.[0]).toBeUndefined();
  });

  it("discards a client whose ROLLBACK failed, still throwing the work's own error", async () => {
    const { pool, statements, release } = fakePool({ failOn: ["ROLLBACK"] });
    await expect(withTransaction(pool, {}, async () => Promise.reject(new Error("work failed")))).rejects.toThrow("work failed");
    expect(statements).toEqual(["BEGIN", "ROLLBACK"]);
    expect(release).toHaveBeenCalledOnce();
    expect(release.mock.calls[0]?.[0]).toBeInstanceOf(Error);
    expect((release.mock.calls[0]?.[0] as Error).message).toBe("ROLLBACK failed");
  });

  it("discards the client when COMMIT and then ROLLBACK fail", async () => {
    const { pool, statements, release } = fakePool({ failOn: ["COMMIT", "ROLLBACK"] });
    await expect(withTransaction(pool, {}, async () => "never committed")).rejects.toThrow("COMMIT failed");
    expect(statements).toEqual(["BEGIN", "COMMIT", "ROLLBACK"]);
    expect(release.mock.calls[0]?.[0]).toBeInstanceOf(Error);
  });
});

import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HmacRandomStream } from "./hmac-random-stream.js";
import { chiSquareCritical } from "./chi-square.fixture.js";

const SECRET = "test-node-secret";


// Pearson's statistic of `draws` calls of `sample` against the uniform distribution on [0, n);
// a value outside the range is an outright failure, so it makes the statistic infinite.
function chiSquareUniform(draws: number, n: number, sample: () => number): number {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < draws; i += 1) {
    const value = sample();
    if (!Number.isInteger(value) || value < 0 || value >= n) return Number.POSITIVE_INFINITY;
    counts[value] = (counts[value] ?? 0) + 1;
  }
  const expected = draws / n;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

// Single bytes of a stream, read in chunks: the broken samplers below only need raw bytes.
function byteReader(stream: HmacRandomStream): () => number {
  let chunk: Buffer = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset === chunk.length) {
      chunk = stream.nextBytes(4096);
      offset = 0;
    }
    const byte = chunk[offset] ?? 0;
    offset += 1;
    return byte;
  };
}

// Replays a fixed byte script and throws when it runs out, so a test can see exactly which
// inputs uniformInt accepts (one draw) and which it rejects (asks for more).
class ScriptedStream extends HmacRandomStream {
  readonly #bytes: number[];

  constructor(bytes: number[]) {
    super("unused", "");
    this.#bytes = [...bytes];
  }

  override nextBytes(count: number): Buffer {
    if (this.#bytes.length < count) throw new ScriptExhausted();
    return Buffer.from(this.#bytes.splice(0, count));
  }
}

class ScriptExhausted extends Error {}

describe("HmacRandomStream", () => {
  it("is HMAC-SHA256(key, message || 0x00 || uint32be(counter)), block after block", () => {
    const block = (counter: number): Buffer => {
      const suffix = Buffer.alloc(5);
      suffix.writeUInt32BE(counter, 1);
      return createHmac("sha256", SECRET)
        .update(Buffer.concat([Buffer.from("question", "utf8"), suffix]))
        .digest();
    };
    const expected = Buffer.concat([block(0), block(1), block(2)]);
    expect(new HmacRandomStream(SECRET, "question").nextBytes(96)).toEqual(expected);
  });

  it("gives the same bytes for the same key and message, however they are read", () => {
    const whole = new HmacRandomStream(SECRET, "question").nextBytes(200);
    const pieces = new HmacRandomStream(Buffer.from(SECRET, "utf8"), "question");
    const chunks = [1, 31, 33, 0, 64, 71].map((size) => pieces.nextBytes(size));
    expect(Buffer.concat(chunks)).toEqual(whole);
  });

  it("gives unrelated streams for another message or another key", () => {
    const base = new HmacRandomStream(SECRET, "question").nextBytes(64);
    expect(new HmacRandomStream(SECRET, "question2").nextBytes(64)).not.toEqual(base);
    expect(new HmacRandomStream("other-secret", "question").nextBytes(64)).not.toEqual(base);
  });

  it("refuses an empty key, which would make every stream public", () => {
    expect(() => new HmacRandomStream("", "question")).toThrow("must not be empty");
    expect(() => new HmacRandomStream(Buffer.alloc(0), "question")).toThrow("must not be empty");
  });

  it("does not show the key when inspected or serialised", async () => {
    const { inspect } = await import("node:util");
    const stream = new HmacRandomStream(SECRET, "question");
    expect(inspect(stream, { depth: 5, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify(stream)).not.toContain(SECRET);
  });
});

describe("HmacRandomStream.uniformInt", () => {
  it.each([2n, 3n, 5n, 100n, 128n, 200n, 255n, 256n, 300n, 257n])(
    "maps the same number of raw inputs to every value in [0, %s)",
    (n) => {
      // Exhaustive over every possible first draw: exactness is a property of the mapping, so
      // here it is checked exactly rather than statistically.
      const byteCount = Math.ceil((n - 1n).toString(2).length / 8);
      const counts = new Map<bigint, number>();
      let rejected = 0;
      for (let raw = 0; raw < 2 ** (8 * byteCount); raw += 1) {
        const bytes = Array.from(
          { length: byteCount },
          (_, i) => (raw >> (8 * (byteCount - 1 - i))) & 0xff,
        );
        try {
          const value = new ScriptedStream(bytes).uniformInt(n);
          counts.set(value, (counts.get(value) ?? 0) + 1);
        } catch (error) {
          if (!(error instanceof ScriptExhausted)) throw error;
          rejected += 1;
        }
      }
      const perValue = new Set(counts.values());
      expect(counts.size).toBe(Number(n));
      expect([...counts.keys()].every((value) => value >= 0n && value < n)).toBe(true);
      expect(perValue.size).toBe(1);
      // Masking to the bit length keeps the rejection rate below one half.
      expect(rejected).toBeLessThan(2 ** (8 * byteCount) / 2);
    },
  );

  it("returns 0 for n = 1 and refuses n < 1", () => {
    const stream = new HmacRandomStream(SECRET, "n1");
    expect(stream.uniformInt(1n)).toBe(0n);
    expect(() => stream.uniformInt(0n)).toThrow();
    expect(() => stream.uniformInt(-5n)).toThrow();
  });

  it("handles values wider than 48 bits", () => {
    const stream = new HmacRandomStream(SECRET, "wide");
    const n = 2n ** 100n + 7n;
    const values = Array.from({ length: 200 }, () => stream.uniformInt(n));
    expect(values.every((value) => value >= 0n && value < n)).toBe(true);
    // With 101-bit draws, 200 samples all below 2^96 would mean the high bytes are dropped.
    expect(values.some((value) => value >= 2n ** 96n)).toBe(true);
  });

  it("passes a chi-square test at n = 3 that modulo bias and off-by-one errors fail", () => {
    // Modulo bias from one byte at n = 3 is small (P(0) = 86/256 instead of 1/3), so its
    // expected statistic is only about 2 + N * 3.05e-5: one million draws put it near 32
    // (28.5 with this seed), well above the 0.1% critical value of 13.8 (2 degrees of freedom).
    const samples = 1_000_000;
    const critical = chiSquareCritical(2, 0.001);
    const seeded = (): HmacRandomStream => new HmacRandomStream(SECRET, "chi-square n=3");

    const exact = seeded();
    const statistic = chiSquareUniform(samples, 3, () => Number(exact.uniformInt(3n)));

    const moduloByte = byteReader(seeded());
    const modulo = chiSquareUniform(samples, 3, () => moduloByte() % 3);

    // Rejecting only values > n lets n itself through.
    const inclusiveByte = byteReader(seeded());
    const inclusive = chiSquareUniform(samples, 3, () => {
      for (;;) {
        const value = inclusiveByte() & 3;
        if (value <= 3) return value;
      }
    });

    // Rejecting values >= n - 1 never yields n - 1.
    const shortByte = byteReader(seeded());
    const short = chiSquareUniform(samples, 3, () => {
      for (;;) {
        const value = shortByte() & 3;
        if (value < 2) return value;
      }
    });

    expect(statistic).toBeLessThan(critical);
    expect(modulo).toBeGreaterThan(critical);
    expect(inclusive).toBeGreaterThan(critical);
    expect(short).toBeGreaterThan(critical);
  });

  it("passes a chi-square test at n = 11 (several bits, frequent rejection)", () => {
    const stream = new HmacRandomStream(SECRET, "chi-square n=11");
    const statistic = chiSquareUniform(110_000, 11, () => Number(stream.uniformInt(11n)));
    expect(statistic).toBeLessThan(chiSquareCritical(10, 0.001));
  });
});

describe("HmacRandomStream.bernoulli", () => {
  it("is never true at 0 and always true at 1", () => {
    const stream = new HmacRandomStream(SECRET, "bernoulli edges");
    for (let i = 0; i < 200; i += 1) {
      expect(stream.bernoulli(0n, 7n)).toBe(false);
      expect(stream.bernoulli(7n, 7n)).toBe(true);
    }
  });

  it("is uniformInt(den) < num on the same stream", () => {
    const a = new HmacRandomStream(SECRET, "bernoulli vs uniform");
    const b = new HmacRandomStream(SECRET, "bernoulli vs uniform");
    for (let i = 0; i < 500; i += 1) expect(a.bernoulli(2n, 7n)).toBe(b.uniformInt(7n) < 2n);
  });

  it("has frequency num/den", () => {
    const stream = new HmacRandomStream(SECRET, "bernoulli frequency");
    const samples = 60_000;
    let hits = 0;
    for (let i = 0; i < samples; i += 1) if (stream.bernoulli(2n, 7n)) hits += 1;
    const p = 2 / 7;
    expect(Math.abs(hits / samples - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / samples));
  });

  it("refuses a probability outside [0, 1] or a non-positive denominator", () => {
    const stream = new HmacRandomStream(SECRET, "bernoulli invalid");
    expect(() => stream.bernoulli(-1n, 2n)).toThrow();
    expect(() => stream.bernoulli(3n, 2n)).toThrow();
    expect(() => stream.bernoulli(0n, 0n)).toThrow();
  });
});

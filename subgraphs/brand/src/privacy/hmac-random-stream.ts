import { createHmac } from "node:crypto";

const MAX_COUNTER = 0xffff_ffff;

/**
 * A deterministic stream of pseudorandom bytes: the concatenation of
 * HMAC-SHA256(key, utf8(message) || 0x00 || uint32be(counter)) for counter = 0, 1, 2, ...
 *
 * The same key and message always give the same stream, so a question asked twice in a period
 * gets the same noise even if the stored answer were lost; without the key the stream cannot
 * be predicted, so the noise cannot be subtracted.
 */
export class HmacRandomStream {
  // A private field keeps the node secret out of util.inspect and JSON.stringify, and the copy
  // keeps a caller who later reuses its buffer from changing the stream.
  readonly #key: Buffer;
  readonly #prefix: Buffer;
  #counter = 0;
  #block: Buffer = Buffer.alloc(0);
  #offset = 0;

  constructor(key: Buffer | string, message: string) {
    const keyBytes = typeof key === "string" ? Buffer.from(key, "utf8") : Buffer.from(key);
    // An empty secret makes every stream public, and then the noise can be removed.
    if (keyBytes.length === 0) throw new Error("HMAC key must not be empty");
    this.#key = keyBytes;
    // The separator byte and the fixed-width counter make (message, counter) -> input injective.
    this.#prefix = Buffer.concat([Buffer.from(message, "utf8"), Buffer.from([0])]);
  }

  /** The next `count` bytes of the stream. */
  nextBytes(count: number): Buffer {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new Error("byte count must be a non-negative integer");
    }
    if (this.#offset === this.#block.length && count > 0) this.#refill();
    // Fast path for the many small reads of rejection sampling: a view of bytes already consumed,
    // which the stream never reads again, so handing it out is safe.
    if (count <= this.#block.length - this.#offset) {
      const view = this.#block.subarray(this.#offset, this.#offset + count);
      this.#offset += count;
      return view;
    }
    const out = Buffer.alloc(count);
    let written = 0;
    while (written < count) {
      if (this.#offset === this.#block.length) this.#refill();
      const take = Math.min(count - written, this.#block.length - this.#offset);
      this.#block.copy(out, written, this.#offset, this.#offset + take);
      this.#offset += take;
      written += take;
    }
    return out;
  }

  /**
   * An exactly uniform integer in [0, n), n >= 1, by rejection sampling: draw just enough
   * bytes for the bit length of n - 1, mask the excess high bits, and draw again when the
   * value is >= n. Every accepted value has the same number of preimages, so there is no
   * modulo bias; each attempt succeeds with probability > 1/2.
   */
  uniformInt(n: bigint): bigint {
    if (n < 1n) throw new Error("uniformInt needs n >= 1");
    if (n === 1n) return 0n;
    const bits = (n - 1n).toString(2).length;
    const byteCount = Math.ceil(bits / 8);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      const candidate = bytesToBigInt(this.nextBytes(byteCount)) & mask;
      if (candidate < n) return candidate;
    }
  }

  /** Exactly Bernoulli(num / den): true iff uniformInt(den) < num. Needs 0 <= num <= den. */
  bernoulli(num: bigint, den: bigint): boolean {
    if (den < 1n) throw new Error("bernoulli needs den >= 1");
    if (num < 0n || num > den) throw new Error("bernoulli needs 0 <= num <= den");
    return this.uniformInt(den) < num;
  }

  #refill(): void {
    if (this.#counter > MAX_COUNTER) throw new Error("HMAC random stream exhausted");
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.#counter);
    this.#counter += 1;
    this.#block = createHmac("sha256", this.#key).update(this.#prefix).update(counter).digest();
    this.#offset = 0;
  }
}

function bytesToBigInt(bytes: Buffer): bigint {
  // Up to 6 bytes fit a double exactly; this is the common case and avoids a BigInt per byte.
  if (bytes.length <= 6) return bytes.length === 0 ? 0n : BigInt(bytes.readUIntBE(0, bytes.length));
  return BigInt(`0x${bytes.toString("hex")}`);
}

/**
 * A small seeded PRNG (sfc32, seeded through cyrb128). Demo data must be reproducible and must
 * never touch `Math.random`, so every random choice in this package goes through here.
 */

/** cyrb128: a fast 128-bit string hash, used only to turn a seed string into PRNG state. */
export function hashString128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** murmur3's finaliser: a bijection on uint32 with good avalanche. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const UINT32_RANGE = 4294967296;

export class SeededRandom {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;

  constructor(seed: string) {
    const [a, b, c, d] = hashString128(seed);
    this.setState(a, b, c, d);
  }

  /**
   * Re-seeds from a base state and a stream number. Each member gets its own stream keyed by its
   * index, so member N comes out the same whether it is generated alone or after N-1 others.
   */
  reseed(base: readonly [number, number, number, number], stream: number): void {
    const x = stream >>> 0;
    this.setState(
      mix32(base[0] ^ x),
      mix32(base[1] ^ Math.imul(x, 0x9e3779b1)),
      mix32(base[2] + Math.imul(x, 0x7feb352d)),
      mix32(base[3] ^ Math.imul(x ^ 0x5bd1e995, 0x846ca68b)),
    );
  }

  private setState(a: number, b: number, c: number, d: number): void {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // sfc32 needs a few rounds before closely seeded states diverge.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / UINT32_RANGE;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("cannot pick from an empty list");
    return item;
  }
}

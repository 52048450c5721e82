import { randomBytes } from "node:crypto";

/**
 * Crockford's base32: digits and upper-case letters without I, L, O and U, so a code read aloud
 * or typed from a printed mailer is not mistaken (1/I/L, 0/O) and spells fewer words.
 */
export const COUPON_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Characters of a coupon code: 13 x 5 = 65 random bits. Codes are written ungrouped. */
export const COUPON_CODE_LENGTH = 13;

const CODE = new RegExp(`^[${COUPON_CODE_ALPHABET}]{${COUPON_CODE_LENGTH}}$`);

/**
 * A new opaque coupon code: 13 Crockford base32 characters (65 bits from `crypto.randomBytes`),
 * with no prefix, brand or sequence in it, so a code says nothing about who issued it.
 */
export function newCouponCode(): string {
  return codeAt(randomBytes(CODE_BYTES), 0);
}

/**
 * `count` new codes as `newCouponCode` writes them, from one draw of random bytes (a send
 * issues up to a million at once). Codes may repeat only by chance (65 bits each); the
 * database's unique constraint is what refuses a repeat.
 */
export function newCouponCodes(count: number): string[] {
  const bytes = randomBytes(CODE_BYTES * count);
  const codes = new Array<string>(count);
  for (let i = 0; i < count; i += 1) codes[i] = codeAt(bytes, i * CODE_BYTES);
  return codes;
}

const CODE_BYTES = 9; // 72 bits; the first 65 are used, 5 per character

function codeAt(bytes: Buffer, offset: number): string {
  let code = "";
  for (let i = 0; i < COUPON_CODE_LENGTH; i += 1) {
    const bit = i * 5;
    const byte = offset + (bit >> 3);
    const pair = ((bytes[byte] ?? 0) << 8) | (bytes[byte + 1] ?? 0);
    code += COUPON_CODE_ALPHABET[(pair >> (11 - (bit & 7))) & 31];
  }
  return code;
}

/** True when `text` has the shape of a coupon code exactly as issued (see `normalizeCouponCode`). */
export function isCouponCode(text: string): boolean {
  return CODE.test(text);
}

/**
 * A code as a customer may type it, in issued form: upper-cased, spaces and hyphens dropped, and
 * Crockford's look-alikes read as digits (O as 0, I and L as 1). Check the result with
 * `isCouponCode`.
 */
export function normalizeCouponCode(text: string): string {
  return text
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

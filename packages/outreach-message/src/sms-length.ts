/** GSM 03.38 basic character table, without the escape (0x1B) that opens the extension table. */
export const GSM_BASIC_CHARACTERS =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** GSM 03.38 extension table: each costs two septets (escape + character). */
export const GSM_EXTENSION_CHARACTERS = "\f^{}\\[~]|€";

/** Most parts a concatenated SMS may have. */
export const SMS_MAX_PARTS = 3;

export const SMS_LIMITS = Object.freeze({
  "GSM-7": Object.freeze({ single: 160, perPart: 153 }),
  "UCS-2": Object.freeze({ single: 70, perPart: 67 }),
});

export type SmsEncoding = keyof typeof SMS_LIMITS;

export type SmsLengthReport = {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  readonly units: number;
  readonly parts: number;
  /** Units one part holds: the single-message limit for one part, the concatenated one beyond. */
  readonly perPartLimit: number;
  readonly maxParts: number;
  readonly fits: boolean;
};

const BASIC = new Set(GSM_BASIC_CHARACTERS);
const EXTENSION = new Set(GSM_EXTENSION_CHARACTERS);

/**
 * Length of `text` as an SMS. Any character outside the GSM basic and extension tables forces
 * UCS-2 for the whole text. Parts are packed in order: a two-septet extension character or a
 * surrogate pair is never split between parts, so a part may end one unit short of its limit
 * (152 + `€` + 152 septets is 306 units but three parts).
 */
export function smsLength(text: string, maxParts: number = SMS_MAX_PARTS): SmsLengthReport {
  const chars = Array.from(text);
  const gsm = chars.every((c) => BASIC.has(c) || EXTENSION.has(c));
  const encoding: SmsEncoding = gsm ? "GSM-7" : "UCS-2";
  const sizes = chars.map((c) => (gsm ? (EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const limits = SMS_LIMITS[encoding];
  if (units <= limits.single) {
    return { encoding, units, parts: 1, perPartLimit: limits.single, maxParts, fits: 1 <= maxParts };
  }
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.perPart) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, parts, perPartLimit: limits.perPart, maxParts, fits: parts <= maxParts };
}

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * True when every number written in the JSON text `json` has exactly the decimal value of the
 * double that JSON.parse makes of it.
 *
 * jsonb keeps numbers as exact decimals, JavaScript reads them as doubles. Without this check a
 * stored 1.00000000000000000001 would read back as 1 and match a hash made over 1, so an edit
 * below double precision would go unnoticed. `json` must be valid JSON.
 */
export function hasOnlyExactNumbers(json: string): boolean {
  let i = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      i = endOfString(json, i);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER_TOKEN.lastIndex = i;
      const token = NUMBER_TOKEN.exec(json)?.[0];
      if (token === undefined) return false;
      const canonical = decimalKey(String(Number(token)));
      if (canonical === null || canonical !== decimalKey(token)) return false;
      i += token.length;
    } else {
      i += 1;
    }
  }
  return true;
}

/** Index just past the string literal that opens at `start`. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

/** A decimal's value as `<sign><significant digits>e<exponent>`, equal for equal values. */
function decimalKey(text: string): string | null {
  const match = DECIMAL.exec(text);
  if (!match) return null; // "Infinity", "NaN"
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  const digits = (whole + fraction).replace(/^0+/, "");
  if (digits === "") return "0"; // -0 and 0 are the same value in jsonb and in canonical JSON
  const significant = digits.replace(/0+$/, "");
  const scale = BigInt(exponent) - BigInt(fraction.length) + BigInt(digits.length - significant.length);
  return `${sign}${significant}e${scale}`;
}

// basE91 (Joachim Henke's scheme) over a JSON-safe alphabet: bytes as printable ASCII with neither
// `"` nor `\`, so a packed trace line carries its deflated payload at ~23% overhead (base64: 33%).

import { CharterError } from "../errors.js";

/** basE91's alphabet with its `"` replaced by `-`: nothing JSON.stringify would escape. */
const ALPHABET =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,./:;<=>?@[]^_`{|}~-";

const DIGIT = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/**
 * The text of `bytes`: each 13 or 14 bits (13 when their value leaves room) as two digits base 91.
 *
 * @example
 * decodeBase91(encodeBase91(Buffer.from("abc"))); // <61 62 63>
 */
export function encodeBase91(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let count = 0;
  for (const byte of bytes) {
    bits |= byte << count;
    count += 8;
    if (count > 13) {
      let value = bits & 8191;
      if (value > 88) {
        bits >>>= 13;
        count -= 13;
      } else {
        value = bits & 16383;
        bits >>>= 14;
        count -= 14;
      }
      out += ALPHABET[value % 91]! + ALPHABET[Math.floor(value / 91)]!;
    }
  }
  if (count > 0) {
    out += ALPHABET[bits % 91]!;
    if (count > 7 || bits > 90) out += ALPHABET[Math.floor(bits / 91)]!;
  }
  return out;
}

/** The bytes `text` encodes; a character outside the alphabet is a damaged line. */
export function decodeBase91(text: string): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil((text.length * 14) / 16) + 1);
  let length = 0;
  let bits = 0;
  let count = 0;
  let pending = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? DIGIT[code]! : -1;
    if (digit < 0)
      throw new CharterError(
        "trace-damaged",
        `a packed trace line's payload holds ${JSON.stringify(text[i])} at ${i}, not a base-91 digit`,
      );
    if (pending < 0) {
      pending = digit;
      continue;
    }
    pending += digit * 91;
    bits |= pending << count;
    count += (pending & 8191) > 88 ? 13 : 14;
    do {
      out[length++] = bits & 255;
      bits >>>= 8;
      count -= 8;
    } while (count > 7);
    pending = -1;
  }
  if (pending >= 0) out[length++] = (bits | (pending << count)) & 255;
  return out.subarray(0, length);
}

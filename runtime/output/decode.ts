// Decoding of raw value bytes (ring-buffer events, map keys and values, little-endian as
// on x86-64) into primitives where bpftrace applies a rule of its own: fixed-size string
// buffers (cut at the first NUL, with a trailer when the text filled the buffer) and
// sized integers. Everything else is the session's business.
import { int, str, uint, type IntSize, type Primitive } from './value';

/** bpftrace's default `str_trunc_trailer`, appended to strings that filled their buffer. */
export const STRING_TRUNCATION_TRAILER = '..';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * A string from a fixed-size buffer: the bytes up to the first NUL; when there is no NUL
 * the string filled the buffer and was presumably truncated, so the trailer is added.
 */
export function decodeString(bytes: Uint8Array, trailer: string = STRING_TRUNCATION_TRAILER): Primitive {
  const nul = bytes.indexOf(0);
  const text = utf8.decode(nul === -1 ? bytes : bytes.subarray(0, nul));
  return str(nul === -1 ? text + trailer : text);
}

/** A little-endian integer of `size` bytes at `offset`. */
export function decodeInt(bytes: Uint8Array, size: IntSize, signed: boolean, offset = 0): Primitive {
  if (offset + size > bytes.length) throw new RangeError(`integer of ${size} bytes at ${offset} is past the end (${bytes.length})`);
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i]);
  return signed ? int(v, size) : uint(v, size);
}

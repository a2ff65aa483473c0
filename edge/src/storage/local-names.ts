/**
 * How the local store names files: one S3 key segment ↔ one file or folder name.
 *
 * A segment is written as itself when that is safe on a POSIX file system, so a folder a
 * person fills by hand maps 1:1 to keys. Otherwise single UTF-8 bytes become `%XX`
 * (upper-case hex):
 * - control characters U+0000–U+001F and U+007F, and the backslash;
 * - a leading `.` (so `.` and `..` can never reach the file system, and every name starting
 *   with `.` is free for the store's own files);
 * - a `%` that is followed by two hex digits (any other `%` stays literal, so a hand-made
 *   `100%_neu.jpg` is the key it looks like);
 * - every non-ASCII character of a segment that is not in NFC, so an NFD key keeps its own
 *   name even on a file system that normalises names (macOS).
 *
 * Two names are reserved because they decode to bytes that never occur in UTF-8: `%FF` is
 * the empty segment (`a//b`), and `%FE` + 64 hex digits is a segment whose encoded name would
 * be longer than {@link MAX_NAME_BYTES}; its real text lives in a sidecar (files) or in a
 * `.vetrina-segment` file inside the folder.
 *
 * A file name is an object only when it is exactly the encoding of its decoded key segment
 * (see {@link decodeName}); anything else is ignored, so no two names can mean one key.
 */
import { createHash } from 'node:crypto';

/** Longest name written, in bytes: 255 (ext4, APFS) minus room for the sidecar's affixes. */
export const MAX_NAME_BYTES = 240;

/** The name of the empty segment. */
export const EMPTY_SEGMENT_NAME = '%FF';

/** Prefix of the hashed name of an over-long segment. */
export const HASHED_PREFIX = '%FE';

const HASHED_NAME = /^%FE[0-9a-f]{64}$/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function percent(char: string): string {
  let out = '';
  for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * The file or folder name of one key segment (any string without `/`, well-formed UTF-16).
 * Never empty, never `.` or `..`, never starts with `.`, holds no `/` and no NUL.
 */
export function encodeSegment(segment: string): string {
  if (segment === '') return EMPTY_SEGMENT_NAME;

  const nfc = segment.normalize('NFC') === segment;
  let out = '';
  let index = 0;
  for (const char of segment) {
    const code = char.codePointAt(0) ?? 0;
    const unsafe =
      (index === 0 && char === '.') ||
      code < 0x20 ||
      code === 0x7f ||
      char === '\\' ||
      (char === '%' && HEX2.test(segment.slice(index + 1, index + 3))) ||
      (!nfc && code > 0x7f);
    out += unsafe ? percent(char) : char;
    index += char.length;
  }

  if (Buffer.byteLength(out) <= MAX_NAME_BYTES) return out;
  return HASHED_PREFIX + createHash('sha256').update(segment, 'utf8').digest('hex');
}

/** True for the hashed name of an over-long segment, whose text must be looked up. */
export function isHashedName(name: string): boolean {
  return HASHED_NAME.test(name);
}

/**
 * The key segment a name stands for; `undefined` for the store's own files (leading `.`),
 * for names that are not valid UTF-8 or not canonical, and for hashed names (see
 * {@link isHashedName}), which the caller resolves.
 */
export function decodeName(raw: Buffer | string): string | undefined {
  let name: string;
  try {
    name = typeof raw === 'string' ? raw : strictUtf8.decode(raw);
  } catch {
    return undefined;
  }
  if (name.startsWith('.')) return undefined;
  if (name === EMPTY_SEGMENT_NAME) return '';
  if (isHashedName(name)) return undefined;

  const bytes: number[] = [];
  for (let i = 0; i < name.length; ) {
    const pair = name.slice(i + 1, i + 3);
    if (name[i] === '%' && HEX2.test(pair)) {
      bytes.push(Number.parseInt(pair, 16));
      i += 3;
      continue;
    }
    const char = String.fromCodePoint(name.codePointAt(i) ?? 0);
    bytes.push(...utf8.encode(char));
    i += char.length;
  }

  let segment: string;
  try {
    segment = strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  return encodeSegment(segment) === name ? segment : undefined;
}

/**
 * How the embedded S3 store names the files of a key under its bucket's folder: a reversible
 * encoding, so that every key S3 accepts is stored as itself and listing reads the keys back from
 * the names alone.
 *
 * - A key is cut at each `/`; every segment but the last is a folder, the last names the object's
 *   files: `<name>@object` (the content), `<name>@meta-<inode>.json` (its eTag and metadata), ... A folder
 *   marker (`images/`, an empty last segment) is `images/@object`.
 * - A segment's UTF-8 bytes are written as themselves when they are `a-z 0-9 _ - .`, and as `%xx`
 *   (two lowercase hex digits) otherwise: upper case, spaces, `%`, non-ASCII, control characters.
 *   The names are ASCII in one case only, so two keys that differ only in case or in Unicode
 *   normalization stay two files on the file systems that fold those (macOS, Windows).
 * - A dot that ends a segment is written `%2e`: no name is ever `.` or `..` (a `..` segment is
 *   `.%2e`), and none ends with a dot (which Windows drops).
 * - An empty segment (`a//b`, a leading `/`) is the folder `@`.
 * - A segment longer than a file name may be is cut into pieces of at most 220 characters: every
 *   piece but the last is a folder whose name ends with `+` ("the segment goes on inside").
 *
 * `@` and `+` are never written as themselves, so object files, the empty segment's folder and
 * continued pieces cannot be taken for one another, and names holding anything else (the store's
 * own `@uploads` folder, bucket settings such as `@cors.xml`) are not keys.
 */

/** At most this many characters of encoded key in one name: with `@meta-<20-digit inode>.json` a name stays under 255 bytes. */
export const PIECE_CHARS = 220;
/** Between a key's encoded last segment and what the file holds (`photo.jpg@object`). */
export const RESOURCE_MARK = '@';
/** The object's content; the other files of an object are named by the store. */
export const CONTENT_RESOURCE = 'object';
const EMPTY_SEGMENT = '@';
const CONTINUED = '+';
const OBJECT_SUFFIX = `${RESOURCE_MARK}${CONTENT_RESOURCE}`;

function isKept(byte: number): boolean {
  return (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x5f || byte === 0x2d || byte === 0x2e;
}

const escapeByte = (byte: number) => `%${byte.toString(16).padStart(2, '0')}`;

/** How one byte is written; `endsSegment`: it is the segment's last. */
const tokenOf = (byte: number, endsSegment: boolean) => (isKept(byte) && !(byte === 0x2e && endsSegment) ? String.fromCharCode(byte) : escapeByte(byte));

/** A piece written whole: `endsSegment` when it is the segment's last piece. */
function encodePiece(bytes: Uint8Array, endsSegment: boolean): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += tokenOf(bytes[i]!, endsSegment && i === bytes.length - 1);
  return text;
}

/** The names a non-empty segment is kept under: pieces that go on (`…+`), then the last one. */
function encodeSegment(segment: Buffer): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (let i = 0; i < segment.length; i++) {
    const token = tokenOf(segment[i]!, i === segment.length - 1);
    if (piece.length + token.length > PIECE_CHARS) {
      pieces.push(piece + CONTINUED);
      piece = '';
    }
    piece += token;
  }
  pieces.push(piece);
  return pieces;
}

/** Where a key's files are: the folders under the bucket's folder, and the name before `@<resource>`. */
export interface KeyLocation {
  folders: string[];
  name: string;
}

export function locateKey(key: string): KeyLocation {
  const segments = key.split('/');
  const last = segments.pop()!;
  const folders: string[] = [];
  for (const segment of segments) {
    if (segment === '') folders.push(EMPTY_SEGMENT);
    else folders.push(...encodeSegment(Buffer.from(segment, 'utf8')));
  }
  if (last === '') return { folders, name: '' };
  const pieces = encodeSegment(Buffer.from(last, 'utf8'));
  const name = pieces.pop()!;
  return { folders: [...folders, ...pieces], name };
}

/** The bytes a name holds, when it is exactly how `encodePiece` writes them (one key, one spelling: not `%61`, not a final `.`). */
function decodeName(name: string, endsSegment: boolean): Buffer | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x25) {
      const hex = name.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (isKept(code)) bytes.push(code);
    else return undefined;
  }
  const decoded = Buffer.from(bytes);
  return encodePiece(decoded, endsSegment) === name ? decoded : undefined;
}

/** What a name found in a bucket's folders adds to the key bytes of the folder it is in. */
export type KeyEntry = { kind: 'object'; bytes: Buffer } | { kind: 'folder'; bytes: Buffer };

/**
 * Reads a name found in one of a bucket's folders: an object's content file (the bytes that end its
 * key), a folder (the bytes every key under it continues with: its segment and `/`, or a piece of
 * a long segment), or neither (an object's other files, the store's own files).
 */
export function readEntryName(name: string, isFolder: boolean): KeyEntry | undefined {
  if (!isFolder) {
    if (!name.endsWith(OBJECT_SUFFIX)) return undefined;
    const base = name.slice(0, -OBJECT_SUFFIX.length);
    const bytes = base === '' ? Buffer.alloc(0) : decodeName(base, true);
    return bytes ? { kind: 'object', bytes } : undefined;
  }
  if (name === EMPTY_SEGMENT) return { kind: 'folder', bytes: Buffer.from('/') };
  if (name.endsWith(CONTINUED)) {
    const bytes = name.length > 1 ? decodeName(name.slice(0, -1), false) : undefined;
    return bytes ? { kind: 'folder', bytes } : undefined;
  }
  const bytes = name ? decodeName(name, true) : undefined;
  return bytes ? { kind: 'folder', bytes: Buffer.concat([bytes, Buffer.from('/')]) } : undefined;
}

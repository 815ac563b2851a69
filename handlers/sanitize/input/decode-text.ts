import type { Readable } from 'node:stream';
import { InputError } from '../../../shared/contract/errors.ts';
import { EncodingFaults } from './encoding-faults.ts';
import type { InputEncoding } from './spec.ts';
import type { TextChunkDecoder } from './text-decoders.ts';
import { Latin1Decoder, Utf16Decoder, Utf8Decoder } from './text-decoders.ts';

/** An object's text: UTF-8 chunks, valid throughout, without a byte-order mark. */
export interface DecodedText {
  chunks: AsyncIterable<Buffer>;
  /** Where bytes that were not valid text were replaced, filled in as `chunks` is read. */
  faults: EncodingFaults;
}

export type ByteSource = Readable | AsyncIterable<Uint8Array>;

/** Enough of the start to recognise a byte-order mark and the binary formats below. */
const SNIFF_BYTES = 16;

/**
 * Files people upload where a CSV was expected. Recognising them says what went wrong; reading
 * them as text would reject every "row" of a spreadsheet with a meaningless reason.
 */
const BINARY_SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx workbook or zipped files)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an OLE2 compound file (an Excel .xls workbook)' },
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed' },
  // "BZh", the block size, then the block magic (the digits of pi): plain text never starts so.
  { bytes: [0x42, 0x5a, 0x68, -1, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59], what: 'bzip2-compressed' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
];

function binaryKind(head: Buffer): string | undefined {
  return BINARY_SIGNATURES.find(({ bytes }) => bytes.length <= head.length && bytes.every((byte, i) => byte === -1 || head[i] === byte))?.what;
}

function byteOrderMark(head: Buffer): { encoding: InputEncoding; length: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function openDecoder(head: Buffer, declared: InputEncoding, faults: EncodingFaults): { decoder: TextChunkDecoder; start: number } {
  const kind = binaryKind(head);
  if (kind) throw new InputError('INPUT_NOT_TEXT', `the object is ${kind}, not CSV or JSON text: export or decompress it to CSV, NDJSON or JSON first`);
  const bom = byteOrderMark(head);
  const encoding = bom?.encoding ?? declared;
  const start = bom?.length ?? 0;
  switch (encoding) {
    case 'utf-8':
      return { decoder: new Utf8Decoder(faults, start), start };
    case 'utf-16le':
    case 'utf-16be':
      return { decoder: new Utf16Decoder(faults, start, encoding === 'utf-16be'), start };
    case 'latin1':
      return { decoder: new Latin1Decoder(), start };
  }
}

const asBuffer = (chunk: Uint8Array | string): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

async function* decodeChunks(body: ByteSource, declared: InputEncoding, faults: EncodingFaults): AsyncGenerator<Buffer> {
  let decoder: TextChunkDecoder | undefined;
  let head: Buffer | undefined;
  for await (const raw of body as AsyncIterable<Uint8Array | string>) {
    let chunk = asBuffer(raw);
    if (decoder === undefined) {
      head = head ? Buffer.concat([head, chunk]) : chunk;
      if (head.length < SNIFF_BYTES) continue;
      const opened = openDecoder(head, declared, faults);
      decoder = opened.decoder;
      chunk = head.subarray(opened.start);
      head = undefined;
    }
    const text = decoder.decode(chunk);
    if (text.length > 0) yield text;
  }
  if (decoder === undefined) {
    if (head === undefined || head.length === 0) return;
    const opened = openDecoder(head, declared, faults);
    decoder = opened.decoder;
    const text = decoder.decode(head.subarray(opened.start));
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/**
 * Streams the text of an object's bytes: a byte-order mark picks the encoding (else `declared`)
 * and is removed. Holds a few bytes at a time, whatever the object's size.
 */
export function decodeText(body: ByteSource, declared: InputEncoding): DecodedText {
  const faults = new EncodingFaults();
  return { chunks: decodeChunks(body, declared, faults), faults };
}

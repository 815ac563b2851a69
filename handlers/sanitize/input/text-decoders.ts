import { isUtf8 } from 'node:buffer';
import type { EncodingFaults } from './encoding-faults.ts';
import { hex } from './encoding-faults.ts';
import { findInvalidUtf8, incompleteTailLength, replaceInvalidUtf8 } from './utf8-validation.ts';

/**
 * Turns the object's bytes, chunk by chunk, into UTF-8 that is valid throughout: the one text form
 * every reader parses. Bytes that are not valid text become U+FFFD and are recorded as faults.
 * Each decoder holds back at most a few bytes (a character split between chunks).
 */
export interface TextChunkDecoder {
  decode(chunk: Buffer): Buffer;
  /** The end of the object: what was held back, judged now. */
  end(): Buffer;
}

const EMPTY = Buffer.alloc(0);

/** UTF-8 in, UTF-8 out: valid chunks pass through untouched (no copy), the rare invalid one is repaired. */
export class Utf8Decoder implements TextChunkDecoder {
  private carry: Buffer | undefined;
  private sourceOffset: number;
  private textOffset = 0;
  private readonly faults: EncodingFaults;

  /** `sourceOffset`: where the text starts in the object (after a byte-order mark). */
  constructor(faults: EncodingFaults, sourceOffset: number) {
    this.faults = faults;
    this.sourceOffset = sourceOffset;
  }

  decode(chunk: Buffer): Buffer {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTailLength(bytes);
    this.carry = tail > 0 ? Buffer.from(bytes.subarray(bytes.length - tail)) : undefined;
    return this.judge(tail > 0 ? bytes.subarray(0, bytes.length - tail) : bytes);
  }

  end(): Buffer {
    const rest = this.carry ?? EMPTY;
    this.carry = undefined;
    return this.judge(rest);
  }

  private judge(bytes: Buffer): Buffer {
    let text = bytes;
    if (!isUtf8(bytes)) {
      const invalid = findInvalidUtf8(bytes);
      let grown = 0;
      for (let k = 0; k < invalid.length; k += 2) {
        const start = invalid[k]!;
        const detail = `byte ${hex(bytes[start]!, 2)}`;
        this.faults.add({ offset: this.textOffset + start + grown, sourceOffset: this.sourceOffset + start, encoding: 'UTF-8', detail });
        grown += 3 - (invalid[k + 1]! - start);
      }
      text = replaceInvalidUtf8(bytes, invalid);
    }
    this.sourceOffset += bytes.length;
    this.textOffset += text.length;
    return text;
  }
}

// ES2024 string methods, in Node 20; TypeScript's ES2023 library does not declare them.
interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** UTF-16 (either byte order) to UTF-8; an unpaired surrogate is a fault. */
export class Utf16Decoder implements TextChunkDecoder {
  private carry: Buffer | undefined;
  private sourceOffset: number;
  private textOffset = 0;
  private readonly faults: EncodingFaults;
  private readonly bigEndian: boolean;

  constructor(faults: EncodingFaults, sourceOffset: number, bigEndian: boolean) {
    this.faults = faults;
    this.sourceOffset = sourceOffset;
    this.bigEndian = bigEndian;
  }

  decode(chunk: Buffer): Buffer {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let usable = bytes.length & ~1;
    // A high surrogate last pairs with the first unit of the next chunk: hold it back with the odd byte.
    if (usable >= 2 && isHighSurrogate(this.unitAt(bytes, usable - 2))) usable -= 2;
    this.carry = usable < bytes.length ? Buffer.from(bytes.subarray(usable)) : undefined;
    return this.convert(bytes.subarray(0, usable));
  }

  end(): Buffer {
    const rest = this.carry ?? EMPTY;
    this.carry = undefined;
    const usable = rest.length & ~1;
    const text = this.convert(rest.subarray(0, usable));
    if (usable === rest.length) return text;
    this.faults.add({ offset: this.textOffset, sourceOffset: this.sourceOffset, encoding: 'UTF-16', detail: `a last byte ${hex(rest[usable]!, 2)} without its pair` });
    this.textOffset += 3;
    return Buffer.concat([text, Buffer.from('\ufffd')]);
  }

  private unitAt(bytes: Buffer, offset: number): number {
    return this.bigEndian ? bytes.readUInt16BE(offset) : bytes.readUInt16LE(offset);
  }

  private convert(units: Buffer): Buffer {
    // swap16 works in place: swap a copy, never the caller's chunk.
    let text = (this.bigEndian ? Buffer.from(units).swap16() : units).toString('utf16le');
    if (!(text as unknown as WellFormed).isWellFormed()) {
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) {
          i++;
          continue;
        }
        if (!isHighSurrogate(unit) && !isLowSurrogate(unit)) continue;
        // A lone surrogate is 3 bytes in UTF-8 either way (Node writes it as U+FFFD), so the offset holds.
        const offset = this.textOffset + Buffer.byteLength(text.slice(0, i));
        this.faults.add({ offset, sourceOffset: this.sourceOffset + 2 * i, encoding: 'UTF-16', detail: `unpaired surrogate ${hex(unit, 4)}` });
      }
      text = (text as unknown as WellFormed).toWellFormed();
    }
    const out = Buffer.from(text, 'utf8');
    this.sourceOffset += units.length;
    this.textOffset += out.length;
    return out;
  }
}

/**
 * Windows-1252's characters for bytes 0x80-0x9F, where ISO-8859-1 has C1 control codes. The five
 * bytes Windows-1252 leaves undefined keep their control code, as the WHATWG decoder does.
 */
const WINDOWS_1252_C1 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1 = /[\x80-\x9f]/g;
const toWindows1252 = (code: string) => WINDOWS_1252_C1[code.charCodeAt(0) - 0x80]!;

/**
 * Latin-1 to UTF-8, reading bytes 0x80-0x9F as Windows-1252 does (€, ‘ ’ “ ”, …), as the WHATWG
 * Encoding Standard, and so every browser, reads a file labelled Latin-1: files called Latin-1
 * are written by Windows, and true ISO-8859-1 C1 control codes never appear in data. (Node 20's
 * TextDecoder('windows-1252') decodes those bytes as ISO-8859-1, so the table is ours.) Every byte
 * is a character, so there is nothing to hold back and nothing invalid.
 */
export class Latin1Decoder implements TextChunkDecoder {
  decode(chunk: Buffer): Buffer {
    return Buffer.from(chunk.toString('latin1').replace(C1, toWindows1252), 'utf8');
  }

  end(): Buffer {
    return EMPTY;
  }
}

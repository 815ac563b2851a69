import type { WireAttributeValue, WireImage } from './schema.ts';
import { decimalSize, parseDecimal } from './dynamodb-number.ts';

/**
 * Item sizes by DynamoDB's rules (developer guide, "DynamoDB item sizes and formats"): names and
 * strings in UTF-8 bytes, binary in raw bytes, numbers by their significant digits, 1 byte for a
 * boolean or null, and 3 bytes plus 1 per element for a list or map.
 */

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');
const base64Length = (text: string) => Buffer.from(text, 'base64').length;
const numberSize = (text: string) => {
  const parsed = parseDecimal(text);
  return parsed ? decimalSize(parsed) : utf8Length(text);
};

export function attributeValueSize(value: WireAttributeValue): number {
  if (value.S !== undefined) return utf8Length(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return base64Length(value.B);
  if (value.SS !== undefined) return value.SS.reduce((sum, item) => sum + utf8Length(item), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, item) => sum + numberSize(item), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, item) => sum + base64Length(item), 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, item) => sum + 1 + attributeValueSize(item), 0);
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + imageSize(value.M);
  return 1; // NULL or BOOL
}

/** The size of an item, or of the part of one a stream record carries (its keys). */
export function imageSize(image: WireImage): number {
  return Object.entries(image).reduce((sum, [name, value]) => sum + utf8Length(name) + attributeValueSize(value), 0);
}

/**
 * A stream record's `SizeBytes`: its keys plus the images it carries. Not documented as such, but
 * it is what every record captured from a real stream in the corpus shows (6 for KEYS_ONLY keys
 * `pk`/`sk` of one character each, 20 once a 14-byte new image is added, and so on).
 */
export function streamRecordSize(parts: { Keys: WireImage; NewImage?: WireImage; OldImage?: WireImage }): number {
  return imageSize(parts.Keys) + (parts.NewImage ? imageSize(parts.NewImage) : 0) + (parts.OldImage ? imageSize(parts.OldImage) : 0);
}

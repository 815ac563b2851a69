import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PIECE_CHARS, locateKey, readEntryName } from '../../../shared/workbench/embedded-s3/s3-key-paths.ts';
import { corpus } from '../../support/paths.ts';

const naughty: string[] = JSON.parse(readFileSync(corpus('big-list-of-naughty-strings', 'blns.json'), 'utf8'));

/** The key a location names, read back from its names alone, as the store's listing reads them. */
function readBack(location: { folders: string[]; name: string }): string {
  const parts: Buffer[] = [];
  for (const folder of location.folders) parts.push(readEntryName(folder, true)!.bytes);
  parts.push(readEntryName(`${location.name}@object`, false)!.bytes);
  return Buffer.concat(parts).toString('utf8');
}

/** Keys S3 accepts built from the corpus: each string alone, as a folder, as a file in a folder, doubled slashes, dot segments. */
const keys = [
  ...new Set(
    naughty
      .filter((text) => text !== '' && !text.includes('\0'))
      .flatMap((text) => [text, `${text}/`, `images/${text}`, `${text}/${text}.jpg`, `a//${text}//`, `/${text}`, `./${text}/../..`])
      .filter((key) => Buffer.byteLength(key) <= 1024),
  ),
];

describe('the file names of a key', () => {
  it('read back as the key, for every key built from the naughty strings', () => {
    for (const key of keys) expect(readBack(locateKey(key)), JSON.stringify(key)).toBe(key);
  });

  it('are never a name a file system would resolve, merge or refuse', () => {
    for (const key of keys) {
      const { folders, name } = locateKey(key);
      for (const part of [...folders, `${name}@meta-18446744073709551615.json`]) {
        expect(part, JSON.stringify(key)).not.toMatch(/^\.{0,2}$/);
        expect(part).toMatch(/^[a-z0-9_.%@+-]+$/);
        expect(part).not.toMatch(/\.$/);
        expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
      }
    }
  });

  it('differ for different keys, also where a file system ignores case or Unicode normalization', () => {
    const variants = ['Photo.JPG', 'photo.jpg', 'PHOTO.jpg', 'caf\u00e9', 'cafe\u0301', 'a/b', 'a//b', 'a/./b', 'a/../b', 'a/b/', 'a/b//', '/a', '.', '..', '...', 'a.', 'a..', '.a', '@', '+', '%2e', '%2E', ...keys];
    const seen = new Map<string, string>();
    for (const key of new Set(variants)) {
      const { folders, name } = locateKey(key);
      const path = [...folders, `${name}@object`].join('/').toLowerCase().normalize('NFC');
      expect(seen.get(path), `${JSON.stringify(key)} and ${JSON.stringify(seen.get(path))}`).toBeUndefined();
      seen.set(path, key);
    }
  });

  it('cut a segment too long for one name into folders that read back as one segment', () => {
    for (const segment of ['x'.repeat(1024), 'é'.repeat(512), `${'a'.repeat(PIECE_CHARS - 1)}.${'b'.repeat(300)}`, `${'.'.repeat(700)}`, `${'y'.repeat(PIECE_CHARS)}.`]) {
      const key = `folder/${segment}/${segment.slice(0, 100)}`;
      if (Buffer.byteLength(key) > 1024) continue;
      const location = locateKey(key);
      expect(location.folders.length).toBeGreaterThan(2);
      expect(location.folders.slice(1).some((folder) => folder.endsWith('+'))).toBe(true);
      expect(readBack(location)).toBe(key);
    }
    const longest = locateKey('é'.repeat(512));
    expect(readBack(longest)).toBe('é'.repeat(512));
    expect(longest.folders.every((folder) => folder.length <= PIECE_CHARS + 1)).toBe(true);
  });

  it('are readable where the key is plain, and say nothing about other names', () => {
    expect(locateKey('images/harbour-dawn.jpg')).toEqual({ folders: ['images'], name: 'harbour-dawn.jpg' });
    expect(locateKey('images/')).toEqual({ folders: ['images'], name: '' });
    expect(locateKey('a//b/../c.')).toEqual({ folders: ['a', '@', 'b', '.%2e'], name: 'c%2e' });
    expect(locateKey('Big Photo.JPG').name).toBe('%42ig%20%50hoto.%4a%50%47');
    for (const [name, folder] of [['photo.jpg@meta-1234.json', false], ['@uploads', true], ['@cors.xml', false], ['Images', true], ['a%2E@object', false], ['%61@object', false], ['a.@object', false], ['+', true], ['', true]] as const) {
      expect(readEntryName(name, folder), name).toBeUndefined();
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { KeyPattern } from '../../../shared/workbench/project/key-pattern.ts';
import { ANY, SEGMENT, canMatch, joinPattern, showPattern } from '../../../shared/workbench/project/key-pattern.ts';

const raw = { normalize: false };
const rendered = { normalize: true };
const can = (pattern: KeyPattern, prefix: string, suffix = '', options = raw) => canMatch(pattern, { prefix, suffix }, options);

describe('key patterns', () => {
  it('join texts and neighbouring wildcards', () => {
    expect(joinPattern('a', '', ['b', ANY], SEGMENT, ['.', 'jpg'])).toEqual(['ab', ANY, '.jpg']);
    expect(joinPattern(SEGMENT, SEGMENT, 'x')).toEqual([SEGMENT, 'x']);
    expect(showPattern(joinPattern('images/', SEGMENT, '/', ANY, '.webp'))).toBe('images/?*/*.webp');
  });

  it('decide prefixes and suffixes on literal text', () => {
    expect(can(['images/a.jpg'], 'images/', '.jpg')).toBe(true);
    expect(can(['images/a.jpg'], 'images/', '.png')).toBe(false);
    expect(can(['media/a.jpg'], 'images/', '.jpg')).toBe(false);
    // Prefix and suffix may overlap, as S3's filters do.
    expect(can(['abc'], 'ab', 'bc')).toBe(true);
    expect(can(['abc'], 'abc', 'abc')).toBe(true);
    expect(can(['ab'], 'abc')).toBe(false);
  });

  it('let a wildcard stand for any text, `/` included, and SEGMENT for text without `/`', () => {
    expect(can(['x', ANY], 'x/images/', '.jpg')).toBe(true);
    expect(can([ANY, '.webp'], '', '.jpg')).toBe(false);
    expect(can([ANY, '.webp'], 'images/', '.webp')).toBe(true);
    expect(can([SEGMENT, '.jpg'], 'images/', '.jpg')).toBe(false);
    expect(can([SEGMENT, '/', SEGMENT], 'a/b/')).toBe(false);
    expect(can([ANY, '/', SEGMENT], 'a/b/')).toBe(true);
    // A wildcard may be empty.
    expect(can(['a', ANY, 'b'], 'ab', 'ab')).toBe(true);
  });

  it('follow renderKey: runs of `/` collapsed, a leading `/` and one trailing `.` dropped', () => {
    expect(can(['images//a.jpg'], 'images//')).toBe(true);
    expect(can(['images//a.jpg'], 'images//', '', rendered)).toBe(false);
    expect(can(['images//a.jpg'], 'images/a', '', rendered)).toBe(true);
    expect(can(['/images/a'], 'images/', '', rendered)).toBe(true);
    expect(can(['//images/a'], '/', '', rendered)).toBe(false);
    expect(can(['a.'], '', '.', rendered)).toBe(false);
    expect(can(['a..'], '', '.', rendered)).toBe(true);
    expect(can(['a.jpg.'], '', '.jpg', rendered)).toBe(true);
    // An empty {dir} leaves a leading slash, which goes: `{dir}/images/...` can start with images/.
    expect(can([ANY, '/images/', SEGMENT], 'images/', '', rendered)).toBe(true);
    // `{stem}.{ext}` with no extension loses its dot.
    expect(can(['stem.'], 'stem', 'm', rendered)).toBe(true);
    expect(can(['stem.'], 'stem', 'm', raw)).toBe(false);
    // Only one dot goes: `x..` ends with `x.` again.
    expect(can(['x.'], '', 'x.', rendered)).toBe(false);
    expect(can(['x.', ANY], '', 'x.', rendered)).toBe(true);
  });
});

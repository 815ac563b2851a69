import { describe, expect, it } from 'vitest';
import { read } from './helpers.ts';

describe('string columns', () => {
  it('trim by default (Unicode white space too), and keep the text otherwise', () => {
    expect(read({}, '  hello  ')).toBe('hello');
    expect(read({}, '\u00a0\ufeffhello\u2003')).toBe('hello');
    expect(read({ trim: false }, '  hello  ')).toBe('  hello  ');
    expect(read({}, 42)).toBe('42');
    expect(read({}, true)).toBe('true');
  });

  it('change case when asked', () => {
    expect(read({ case: 'upper' }, 'pt')).toBe('PT');
    expect(read({ case: 'lower' }, 'ÉCOLE')).toBe('école');
    expect(read({ case: 'none' }, 'MiXeD')).toBe('MiXeD');
  });

  it('normalize to NFC by default, or as configured', () => {
    const decomposed = 'e\u0301cole';
    expect(read({}, decomposed)).toBe('\u00e9cole');
    expect(read({ normalize: { form: 'NFD' } }, '\u00e9')).toBe('e\u0301');
    expect(read({ normalize: { form: 'NFKC' } }, 'ﬁ')).toBe('fi');
    expect(read({ normalize: { form: 'none' } }, decomposed)).toBe(decomposed);
  });

  it('strip control characters but tab and line breaks by default; stripAll, keep or reject them as configured', () => {
    const text = 'a\u0000b\u0007c\td\ne\r\nf\u007f\u009fg';
    expect(read({}, text)).toBe('abc\td\ne\r\nfg');
    expect(read({ normalize: { controls: 'stripAll' } }, text)).toBe('abcdefg');
    expect(read({ normalize: { controls: 'keep' } }, text)).toBe(text);
    expect(read({ normalize: { controls: 'reject' } }, text)).toEqual(['expected text without control characters, found 4 control characters']);
    expect(read({ normalize: { controls: 'reject' } }, 'line\none\ttab')).toBe('line\none\ttab');
  });

  it('refuse broken UTF-16 (a lone surrogate), which no output can write', () => {
    expect(read({}, 'ab\ud800cd')).toEqual(['expected valid Unicode text, found an unpaired UTF-16 surrogate']);
    expect(read({}, 'emoji 😀')).toBe('emoji 😀');
  });

  it('match the whole cleaned text against pattern', () => {
    expect(read({ pattern: '[A-Z]{2}', case: 'upper' }, ' us ')).toBe('US');
    expect(read({ pattern: '[A-Z]{2}' }, 'USA')).toEqual(['expected text matching [A-Z]{2}, found text of 3 characters']);
    expect(read({ pattern: '^ord-\\d+$' }, 'ord-12')).toBe('ord-12');
    expect(read({ pattern: '\\p{Lu}+' }, 'ÉÀ')).toBe('ÉÀ');
  });

  it('count maxLength in code points', () => {
    expect(read({ maxLength: 3 }, '😀😀😀')).toBe('😀😀😀');
    expect(read({ maxLength: 3 }, 'abcd')).toEqual(['expected at most 3 characters, found 4']);
    expect(read({ maxLength: 1 }, 'ab')).toEqual(['expected at most 1 character, found 2']);
  });

  it('give every failing check, not only the first', () => {
    expect(read({ pattern: '[a-z]+', maxLength: 2 }, 'ABC')).toEqual(['expected text matching [a-z]+, found text of 3 characters', 'expected at most 2 characters, found 3']);
  });
});

describe('empty values', () => {
  it('become null, or the default, or are rejected when required', () => {
    expect(read({}, '')).toBeNull();
    expect(read({}, undefined)).toBeNull();
    expect(read({}, null)).toBeNull();
    expect(read({ default: 'n/a' }, '   ')).toBe('n/a');
    expect(read({ type: 'integer', default: 0 }, '')).toBe(0);
    expect(read({ type: 'enum', values: ['USD', 'EUR'], default: 'USD' }, null)).toBe('USD');
  });

  it('say what was there when required', () => {
    expect(read({ required: true }, '')).toEqual(['expected a value (the column is required), found an empty value']);
    expect(read({ required: true }, '  \t ')).toEqual(['expected a value (the column is required), found only white space or control characters']);
    expect(read({ required: true }, undefined)).toEqual(['expected a value (the column is required), found nothing']);
    expect(read({ required: true }, null)).toEqual(['expected a value (the column is required), found null']);
    expect(read({ required: true, trim: false }, ' ')).toBe(' ');
  });
});

import { describe, expect, it } from 'vitest';
import { read } from './helpers.ts';

describe('email columns', () => {
  it('accept addresses, lower-casing the domain (and all of it with case: lower)', () => {
    expect(read({ type: 'email' }, ' Chloe.M@Example.COM ')).toBe('Chloe.M@example.com');
    expect(read({ type: 'email', case: 'lower' }, 'Chloe.M@Example.com')).toBe('chloe.m@example.com');
    expect(read({ type: 'email' }, "o'brien+tag@mail.example.co.uk")).toBe("o'brien+tag@mail.example.co.uk");
    expect(read({ type: 'email' }, 'josé@exemple.fr')).toBe('josé@exemple.fr');
    expect(read({ type: 'email' }, 'user@xn--bcher-kva.example')).toBe('user@xn--bcher-kva.example');
  });

  it('reject what is not one, saying only its length', () => {
    const expected = 'expected an email address (name@example.com)';
    expect(read({ type: 'email' }, 'gus@example')).toEqual([`${expected}, found text of 11 characters`]);
    expect(read({ type: 'email' }, 'not an email')).toEqual([`${expected}, found text of 12 characters without @`]);
    expect(read({ type: 'email' }, 'a@@example.com')).toEqual([`${expected}, found text of 14 characters`]);
    expect(read({ type: 'email' }, 'a..b@example.com')).toEqual([`${expected}, found text of 16 characters`]);
    expect(read({ type: 'email' }, 'a@-example.com')).toEqual([`${expected}, found text of 14 characters`]);
    expect(read({ type: 'email' }, `${'a'.repeat(65)}@example.com`)).toEqual([`${expected} of at most 254 characters, 64 before the @, found text of 77 characters`]);
  });

  it('check maxLength on the address', () => {
    expect(read({ type: 'email', maxLength: 10 }, 'abcdef@example.com')).toEqual(['expected at most 10 characters, found 18']);
  });
});

describe('phone columns', () => {
  it('give E.164 from international numbers and national ones in the default country', () => {
    expect(read({ type: 'phone', country: 'US' }, '(415) 555-0132')).toBe('+14155550132');
    expect(read({ type: 'phone', country: 'US' }, '415.555.0199')).toBe('+14155550199');
    expect(read({ type: 'phone', country: 'US' }, '+44 20 7946 0958')).toBe('+442079460958');
    expect(read({ type: 'phone', country: 'FR' }, '01 23 45 67 89')).toBe('+33123456789');
    expect(read({ type: 'phone' }, '+33 1 23 45 67 89')).toBe('+33123456789');
  });

  it('reject wrong numbers, saying why without the digits', () => {
    const us = 'expected a phone number (international with +, or national in US)';
    expect(read({ type: 'phone', country: 'US' }, '555-0100')).toEqual([`${us}, found a number too short for its country`]);
    expect(read({ type: 'phone', country: 'US' }, '415-555-01234')).toEqual([`${us}, found a number too long for its country`]);
    expect(read({ type: 'phone', country: 'US' }, '+999 123 4567')).toEqual([`${us}, found a number with an unknown country code`]);
    expect(read({ type: 'phone', country: 'US' }, 'call 415 555 0132')).toEqual([`${us}, found text of 17 characters`]);
    expect(read({ type: 'phone', country: 'US' }, '+1 415 555 0132 ext. 5')).toEqual([`${us}, found a number with an extension (E.164 has none)`]);
    expect(read({ type: 'phone' }, '(415) 555-0132')).toEqual(['expected an international phone number starting with + and the country code, found a national number, and no country is set to read it']);
  });
});

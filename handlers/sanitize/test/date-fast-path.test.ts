import { expect, it } from 'vitest';
import { readDate } from '../rules/date-time.ts';
import { compileDateFormat } from '../rules/date-format.ts';
import { seededRandom } from '../../../test/support/seeded-random.ts';

const padded = (value: number, width: number) => String(value).padStart(width, '0');

it('reads ISO-8601 UTC date-times by position exactly as the regular expression does (20,000 generated values, some out of range, some broken)', () => {
  const compiled = compileDateFormat('YYYY-MM-DDTHH:mm:ssZ');
  if (!compiled.ok) throw new Error(compiled.message);
  const byPosition = compiled.format;
  const byRegex = { ...byPosition, canonical: false } as typeof byPosition;
  const random = seededRandom(3);
  const pick = (below: number) => Math.floor(random() * below);
  const alphabet = '0123456789-T:Z+ x';
  for (let i = 0; i < 20_000; i++) {
    // Months to 13, days to 32, hours to 25, minutes and seconds to 61: the ranges' edges and past them.
    let text = `${padded(pick(10_000), 4)}-${padded(pick(14), 2)}-${padded(pick(33), 2)}T${padded(pick(26), 2)}:${padded(pick(62), 2)}:${padded(pick(62), 2)}Z`;
    if (random() < 0.3) {
      const at = pick(text.length);
      text = text.slice(0, at) + alphabet[pick(alphabet.length)] + text.slice(at + 1);
    }
    for (const keyed of [false, true]) {
      const expected = readDate(text, { type: 'datetime', formats: [byRegex], keyed });
      expect(readDate(text, { type: 'datetime', formats: [byPosition], keyed }), text).toEqual(expected);
    }
  }
});

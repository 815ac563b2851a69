import { expect, it } from 'vitest';
import { readDate } from '../../../handlers/sanitize/rules/date-time.ts';
import { compileDateFormat } from '../../../handlers/sanitize/rules/date-format.ts';
import { seededRandom } from '../../support/seeded-random.ts';
it('read ISO-8601 UTC date-times by position exactly as the regular expression does (20,000 generated values, some broken)', () => {
  const canonical = compileDateFormat('YYYY-MM-DDTHH:mm:ssZ');
  if (!canonical.ok) throw new Error();
  const slow = { ...canonical.format, canonical: false } as typeof canonical.format;
  const r = seededRandom(3);
  const alphabet = '0123456789-T:Z+ x';
  let agreed = 0;
  for (let i = 0; i < 20000; i++) {
    let t = `${String(Math.floor(r()*10000)).padStart(4,'0')}-${String(Math.floor(r()*14)).padStart(2,'0')}-${String(Math.floor(r()*33)).padStart(2,'0')}T${String(Math.floor(r()*26)).padStart(2,'0')}:${String(Math.floor(r()*62)).padStart(2,'0')}:${String(Math.floor(r()*62)).padStart(2,'0')}Z`;
    if (r() < 0.3) { const at = Math.floor(r()*t.length); t = t.slice(0, at) + alphabet[Math.floor(r()*alphabet.length)] + t.slice(at+1); }
    for (const keyed of [false, true]) {
      const a = readDate(t, { type: 'datetime', formats: [canonical.format], keyed });
      const b = readDate(t, { type: 'datetime', formats: [slow], keyed });
      expect(a, t).toEqual(b);
    }
    agreed++;
  }
  expect(agreed).toBe(20000);
});

import { describe, expect, it } from 'vitest';
import { createSequencer, formEncodeKey, s3Record } from '../../src/emulator/s3-events.js';

const formDecode = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

describe('formEncodeKey', () => {
  it.each([
    ['fahrzeuge/E+P-003_D.jpeg', 'fahrzeuge/E%2BP-003_D.jpeg'],
    ['fahrzeuge/some-name (1).png', 'fahrzeuge/some-name+%281%29.png'],
    ['fahrzeuge/100%_neu.jpg', 'fahrzeuge/100%25_neu.jpg'],
    ['fahrzeuge/#1 front.jpg', 'fahrzeuge/%231+front.jpg'],
    ['fahrzeuge/Kühler?.jpg', 'fahrzeuge/K%C3%BChler%3F.jpg'],
  ])('writes %s as %s, which form-decodes back to the key', (key, encoded) => {
    const written = formEncodeKey(key);

    expect(written).toBe(encoded);
    expect(formDecode(written)).toBe(key);
  });
});

describe('createSequencer', () => {
  it('makes strictly increasing 18-digit hex sequencers, also within one millisecond', () => {
    const next = createSequencer(() => 1_733_318_400_000);

    const values = [next(), next(), next()];

    expect(values.every((value) => /^[0-9A-F]{18}$/.test(value))).toBe(true);
    expect([...values].sort()).toEqual(values);
    expect(new Set(values).size).toBe(3);
  });
});

describe('s3Record', () => {
  it('writes a Put with size and eTag, and a Delete without them', () => {
    const put = s3Record('ObjectCreated:Put', 'exchange', { key: 'a b.jpg', size: 12, eTag: 'abc', sequencer: '01' });
    const removed = s3Record('ObjectRemoved:Delete', 'exchange', { key: 'a b.jpg', size: 12, sequencer: '02' });

    expect(put.s3.object).toEqual({ key: 'a+b.jpg', size: 12, eTag: 'abc', sequencer: '01' });
    expect(put.s3.bucket.name).toBe('exchange');
    expect(removed.eventName).toBe('ObjectRemoved:Delete');
    expect(removed.s3.object).toEqual({ key: 'a+b.jpg', sequencer: '02' });
  });
});

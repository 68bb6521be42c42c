import { compareTemporal, primitiveProblem } from './primitives';

/** [type, JSON value, valid?] */
const CASES: [string, unknown, boolean][] = [
  ['boolean', true, true],
  ['boolean', 'true', false],
  ['integer', 42, true],
  ['integer', -2147483648, true],
  ['integer', 2147483648, false],
  ['integer', 1.5, false],
  ['integer', '42', false],
  ['positiveInt', 0, false],
  ['positiveInt', 1, true],
  ['unsignedInt', 0, true],
  ['unsignedInt', -1, false],
  ['decimal', 0.1, true],
  ['decimal', '0.1', false],
  ['decimal', Number.NaN, false],
  ['string', 'a', true],
  ['string', 'with\u00a0no-break space', true],
  ['string', '', false],
  ['string', 'form\ffeed', false],
  ['code', 'final', true],
  ['code', 'two words', true],
  ['code', ' leading', false],
  ['code', 'double  space', false],
  ['id', 'a-B.9', true],
  ['id', 'a_b', false],
  ['id', 'x'.repeat(65), false],
  ['uri', 'http://example.org/x', true],
  ['uri', 'has space', false],
  ['uri', '', false],
  ['canonical', 'http://example.org/x|1.0', true],
  ['oid', 'urn:oid:1.2.3', true],
  ['oid', 'urn:oid:1.02', false],
  ['uuid', 'urn:uuid:6e7f4c5a-6f7b-4b8a-9a1e-2f8b4f1e0a01', true],
  ['uuid', 'urn:uuid:6E7F4C5A-6F7B-4B8A-9A1E-2F8B4F1E0A01', false],
  ['date', '2024', true],
  ['date', '2024-02', true],
  ['date', '2024-02-29', true],
  ['date', '2023-02-29', false],
  ['date', '2024-13-01', false],
  ['date', '2024-02-01T10:00:00Z', false],
  ['dateTime', '2024-02-01T10:00:00+01:00', true],
  ['dateTime', '2024-02-01T10:00:00.123Z', true],
  ['dateTime', '2024-02-01', true],
  ['dateTime', '2024-02-01T10:00:00', false],
  ['dateTime', '2024-02-01T10:00Z', false],
  ['dateTime', '2024-02-01T24:00:00Z', false],
  ['instant', '2024-02-01T10:00:00Z', true],
  ['instant', '2024-02-01', false],
  ['time', '10:30:00', true],
  ['time', '10:30', false],
  ['base64Binary', 'aGVsbG8=', true],
  ['base64Binary', 'not base64!', false],
  ['markdown', '# title', true],
  ['xhtml', '<div xmlns="http://www.w3.org/1999/xhtml">x</div>', true],
  ['xhtml', '<p>x</p>', false],
];

describe('primitiveProblem', () => {
  it.each(CASES)('%s %j is valid: %s', (type, value, valid) => {
    expect(primitiveProblem(value, type) === undefined).toBe(valid);
  });

  it('names the type and the value in the problem', () => {
    expect(primitiveProblem('2024-13-01', 'date')).toBe("Invalid date '2024-13-01'");
  });
});

describe('compareTemporal', () => {
  it.each([
    ['2024-01-01', '2024-01-02', -1],
    ['2024-02', '2024-01-31', 1],
    ['2024-01-01T10:00:00Z', '2024-01-01', 0],
  ])('compares %s with %s at the shorter precision', (a, b, expected) => {
    expect(compareTemporal(a, b)).toBe(expected);
  });
});

import fc from 'fast-check';
import {
  ROUNDING_UNIT,
  roundCount,
  roundDuration,
  roundLoad,
  roundMinutes,
  roundSeconds,
  roundStep,
  roundUpLoad,
  type Scale,
} from './rounding';

describe('rounding to the grid, halves up, never below one unit', () => {
  it.each([
    [4.74, 4.5],
    [4.75, 5],
    [10.24, 10],
    [10.25, 10.5],
    [0.9 * 12, 11],
    [0.2, 0.5],
    [0, 0.5],
  ])('roundLoad(%p) = %p kg', (kg, expected) => {
    expect(roundLoad(kg)).toBe(expected);
  });

  it.each([
    [5.25, 5.5],
    [5, 5],
    [20 * 1.05, 21],
    [4.01, 4.5],
    [0.1, 0.5],
  ])('roundUpLoad(%p) = %p kg (up to the next 0.5 kg, float noise ignored)', (kg, expected) => {
    expect(roundUpLoad(kg)).toBe(expected);
  });

  it.each([
    [27.5, 28],
    [27.49, 27],
    [1.1 * 20, 22],
    [0.4, 1],
  ])('roundMinutes(%p) = %p min', (min, expected) => {
    expect(roundMinutes(min)).toBe(expected);
  });

  it.each([
    [32.5, 35],
    [32.4, 30],
    [33, 35],
    [2, 5],
    [0, 5],
  ])('roundSeconds(%p) = %p s', (s, expected) => {
    expect(roundSeconds(s)).toBe(expected);
  });

  it.each([
    [7.5, 8],
    [7.49, 7],
    [0.4, 1],
    [0, 1],
  ])('roundCount(%p) = %p', (n, expected) => {
    expect(roundCount(n)).toBe(expected);
  });

  it.each([
    [{ value: 27.5, unit: 'min' as const }, { value: 28, unit: 'min' }],
    [{ value: 33, unit: 's' as const }, { value: 35, unit: 's' }],
    [{ value: 0.2, unit: 'min' as const }, { value: 1, unit: 'min' }],
  ])('roundDuration(%j) rounds in its own unit', (d, expected) => {
    expect(roundDuration(d)).toEqual(expected);
  });
});

describe('roundStep moves by at least one rounding unit', () => {
  it.each<[string, Scale, number, number, number | undefined, number, boolean, boolean]>([
    ['widens a rep step that rounds away', 'count', 5, 5.4, undefined, 6, true, false],
    ['keeps a rep step that rounds to a full unit', 'count', 10, 12, undefined, 12, false, false],
    ['widens a 5 min -10% step that halves up back to 5', 'min', 5, 4.5, undefined, 4, true, false],
    ['widens a 30 s hold step that rounds back to 30 s', 's', 30, 28, undefined, 25, true, false],
    ['keeps a 30 s -10% hold step that rounds to 25 s', 's', 30, 27, undefined, 25, false, false],
    ['lands on the grid beyond an off-grid value', 's', 32, 35.2, undefined, 40, true, false],
    ['stops at the bound going up', 'count', 14, 16, 15, 15, false, true],
    ['stops at the bound going down', 'count', 6, 4, 5, 5, false, true],
    ['stops at the cap even when one unit would pass it', 'kg', 9.5, 10.5, 10, 10, false, true],
  ])('%s (%s %p -> %p, bound %p)', (_name, scale, from, to, bound, value, widened, bounded) => {
    expect(roundStep({ scale, from, to, bound })).toEqual({ value, widened, bounded });
  });

  it.each<[string, Scale, number, number, number | undefined]>([
    ['at the cap', 'count', 15, 17, 15],
    ['above the cap', 'count', 16, 18, 15],
    ['at the minimum bound', 'count', 5, 3, 5],
    ['at one rounding unit (0.5 kg)', 'kg', 0.5, 0.45, undefined],
    ['at one rounding unit (1 min)', 'min', 1, 0.9, undefined],
    ['at one rounding unit (5 s)', 's', 5, 2.5, undefined],
    ['with no distance to go', 'min', 20, 20, undefined],
  ])('does not move %s', (_name, scale, from, to, bound) => {
    expect(roundStep({ scale, from, to, bound })).toEqual({ value: from, widened: false, bounded: false });
  });

  it('always moves an on-grid value by at least one unit up, and down unless at one unit', () => {
    const scale = fc.constantFrom<Scale>('kg', 'min', 's', 'count');
    fc.assert(
      fc.property(scale, fc.integer({ min: 1, max: 400 }), fc.double({ min: -0.5, max: 0.5, noNaN: true }), (sc, k, rel) => {
        const unit = ROUNDING_UNIT[sc];
        const from = k * unit;
        const to = from * (1 + rel);
        const { value } = roundStep({ scale: sc, from, to });
        if (Math.abs(to - from) < 1e-6) return;
        if (to > from) expect(value - from).toBeGreaterThanOrEqual(unit - 1e-9);
        else if (to < from && from > unit) expect(from - value).toBeGreaterThanOrEqual(unit - 1e-9);
        else expect(value).toBe(from);
        expect(value).toBeGreaterThanOrEqual(unit);
        expect(Math.abs(value / unit - Math.round(value / unit))).toBeLessThan(1e-9);
      }),
    );
  });
});

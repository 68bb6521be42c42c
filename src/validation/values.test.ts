import type { ElementNode } from './structure';
import { deepEqual, fixedPatternProblem, limitProblems, matchesPattern } from './values';

const node = (extra: Partial<ElementNode>): ElementNode => ({ ...({} as ElementNode), constraints: [], ...extra });
const cc = (...codings: object[]) => ({ coding: codings });
const sct = { system: 'http://snomed.info/sct', code: '229065009' };

describe('fixed and pattern values', () => {
  it.each([
    ['equal objects', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    ['an extra property', { a: 1, b: 2 }, { a: 1 }, false],
    ['arrays in another order', [1, 2], [2, 1], false],
    ['different primitives', 'wk', 'd', false],
  ])('deepEqual: %s', (_what, a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });

  it.each([
    ['a CodeableConcept with the coding among others', cc({ system: 'x', code: 'y' }, { ...sct, display: 'Exercise therapy' }), cc(sct), true],
    ['a CodeableConcept with another code', cc({ ...sct, code: '1' }), cc(sct), false],
    ['a pattern on the system only', cc({ system: 'http://snomed.info/sct', code: 'anything' }), cc({ system: 'http://snomed.info/sct' }), true],
    ['a primitive pattern', 'wk', 'wk', true],
    ['an object where the pattern is primitive', { value: 'wk' }, 'wk', false],
  ])('matchesPattern: %s', (_what, value, pattern, expected) => {
    expect(matchesPattern(value, pattern)).toBe(expected);
  });

  it('describes a fixed value that differs', () => {
    expect(fixedPatternProblem(node({ fixed: { type: 'Uri', value: 'sets' } }), 'reps')).toBe('Value must be exactly "sets" (fixedUri)');
  });

  it('describes a pattern that is not met', () => {
    expect(fixedPatternProblem(node({ pattern: { type: 'Code', value: 'wk' } }), 'd')).toBe('Value must match the pattern "wk" (patternCode)');
  });
});

describe('limitProblems', () => {
  const zeroToTen = node({ minValue: { type: 'Integer', value: 0 }, maxValue: { type: 'Integer', value: 10 } });
  it.each([
    [0, []],
    [10, []],
    [11, ['Value 11 is above the maximum 10']],
    [-1, ['Value -1 is below the minimum 0']],
  ])('checks %j against 0..10', (value, expected) => {
    expect(limitProblems(zeroToTen, value)).toEqual(expected);
  });

  it('compares Quantity values in the same unit and leaves other units alone', () => {
    const max = node({ maxValue: { type: 'Quantity', value: { value: 10, code: 'kg' } } });
    expect(limitProblems(max, { value: 12, code: 'kg' })).toEqual(['Value 12 is above the maximum {"value":10,"code":"kg"}']);
    expect(limitProblems(max, { value: 12000, code: 'g' })).toEqual([]);
  });

  it('checks dates and maxLength', () => {
    expect(limitProblems(node({ minValue: { type: 'Date', value: '2020-01-01' } }), '2019-12-31')).toHaveLength(1);
    expect(limitProblems(node({ maxLength: 3 }), 'abcd')).toEqual(['Value is longer than maxLength 3']);
  });
});

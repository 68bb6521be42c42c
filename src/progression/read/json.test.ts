import { asArray, asBoolean, asNumber, asRecord, asString, field, records, strings } from './json';

describe('safe JSON readers', () => {
  it.each<[string, (v: unknown) => unknown, unknown, unknown]>([
    ['asRecord keeps an object', asRecord, { a: 1 }, { a: 1 }],
    ['asRecord refuses a list', asRecord, [1], undefined],
    ['asRecord refuses null', asRecord, null, undefined],
    ['asArray keeps a list', asArray, [1, 2], [1, 2]],
    ['asArray reads an object as empty', asArray, { 0: 1 }, []],
    ['asString keeps a string', asString, 'x', 'x'],
    ['asString refuses a number', asString, 42, undefined],
    ['asNumber keeps a finite number', asNumber, 3.5, 3.5],
    ['asNumber refuses a numeric string', asNumber, '3.5', undefined],
    ['asNumber refuses NaN', asNumber, Number.NaN, undefined],
    ['asBoolean keeps false', asBoolean, false, false],
    ['asBoolean refuses the string "true"', asBoolean, 'true', undefined],
    ['strings keeps only the strings of a list', strings, ['a', 1, null, 'b'], ['a', 'b']],
    ['strings reads a non-list as empty', strings, 'a', []],
  ])('%s', (_name, read, input, expected) => {
    expect(read(input)).toEqual(expected);
  });

  it('records keeps the objects of a list with their index', () => {
    expect(records([null, { a: 1 }, 'x', { b: 2 }])).toEqual([
      { item: { a: 1 }, index: 1 },
      { item: { b: 2 }, index: 3 },
    ]);
  });

  it.each<[string, unknown, unknown]>([
    ['of an object', { code: 'x' }, 'x'],
    ['of null', null, undefined],
    ['of a string', 'code', undefined],
    ['of a list', ['x'], undefined],
  ])('field reads a key %s without throwing', (_name, object, expected) => {
    expect(field(object, 'code')).toBe(expected);
  });
});

import { parseNumber, type NumberRule } from './numbers';

const score: NumberRule = { kind: 'integer', min: 0, max: 10 };
const kg: NumberRule = { kind: 'decimal', min: 0, max: 500, decimals: 2, required: true };

describe('a number typed into a form', () => {
  it.each<[string | undefined, NumberRule, ReturnType<typeof parseNumber>]>([
    ['7', score, { value: 7 }],
    [' 07 ', score, { value: 7 }],
    ['+3', score, { value: 3 }],
    ['0', score, { value: 0 }],
    ['10', score, { value: 10 }],
    ['', score, { blank: true }],
    [undefined, score, { blank: true }],
    ['11', score, { error: 'Enter a whole number from 0 to 10.' }],
    ['-0', score, { value: 0 }],
    ['-1', score, { error: 'Enter a whole number from 0 to 10.' }],
    ['1.0', score, { error: 'Enter a whole number from 0 to 10, without a decimal point.' }],
    ['3 4', score, { error: 'Enter a whole number from 0 to 10, without a decimal point.' }],
    ['0x5', score, { error: 'Enter a whole number from 0 to 10, without a decimal point.' }],
    ['99999999999999999999999', score, { error: 'Enter a whole number from 0 to 10.' }],
    ['7.5', kg, { value: 7.5 }],
    ['7,25', kg, { value: 7.25 }],
    ['12', kg, { value: 12 }],
    ['', kg, { error: 'Enter a number from 0 to 500.' }],
    ['7.125', kg, { error: 'Enter a number from 0 to 500 with at most 2 decimal places.' }],
    ['.5', kg, { error: 'Enter a number from 0 to 500, using digits and a decimal point only.' }],
    ['5.', kg, { error: 'Enter a number from 0 to 500, using digits and a decimal point only.' }],
    ['1e2', kg, { error: 'Enter a number from 0 to 500, using digits and a decimal point only.' }],
    ['Infinity', kg, { error: 'Enter a number from 0 to 500, using digits and a decimal point only.' }],
    ['500.01', kg, { error: 'Enter a number from 0 to 500.' }],
  ])('%j with %j reads as %j', (raw, rule, expected) => {
    expect(parseNumber(raw, rule)).toEqual(expected);
  });
});

/**
 * Numbers typed into a form: a whole number or a decimal (point or comma) within a range, checked before
 * anything is built from them. In: the raw text of a field; out: the number, nothing (left blank), or the
 * message shown beside the field.
 */

export interface NumberRule {
  /** `integer`: whole numbers only; `decimal`: at most `decimals` places. */
  kind: 'integer' | 'decimal';
  min: number;
  max: number;
  /** Places after the decimal point a decimal may have (default 2). */
  decimals?: number;
  /** A blank field is an error instead of "not given". */
  required?: boolean;
}

export type NumberResult = { value: number } | { blank: true } | { error: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^([+-]?\d+)(?:[.,](\d+))?$/;

/** What a field expects, in words: "a whole number from 0 to 10", "a number from 0 to 24". */
export function describeRule(rule: NumberRule): string {
  const what = rule.kind === 'integer' ? 'a whole number' : 'a number';
  return `${what} from ${rule.min} to ${rule.max}`;
}

/** Reads one field; surrounding spaces are ignored and a decimal comma is read as a point. */
export function parseNumber(raw: string | undefined, rule: NumberRule): NumberResult {
  const text = (raw ?? '').trim();
  if (text === '') return rule.required === true ? { error: `Enter ${describeRule(rule)}.` } : { blank: true };
  let value: number;
  if (rule.kind === 'integer') {
    if (!INTEGER.test(text)) return { error: `Enter ${describeRule(rule)}, without a decimal point.` };
    value = Number(text);
  } else {
    const m = DECIMAL.exec(text);
    if (!m) return { error: `Enter ${describeRule(rule)}, using digits and a decimal point only.` };
    const places = rule.decimals ?? 2;
    if ((m[2]?.length ?? 0) > places) return { error: `Enter ${describeRule(rule)} with at most ${places} decimal place${places === 1 ? '' : 's'}.` };
    value = Number(`${m[1] ?? ''}.${m[2] ?? '0'}`);
  }
  if (!Number.isFinite(value) || value < rule.min || value > rule.max) return { error: `Enter ${describeRule(rule)}.` };
  return { value: value + 0 }; // -0 reads as 0
}

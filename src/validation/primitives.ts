/**
 * JSON representation and lexical format of the R4 primitive types (the regexes of the core datatypes).
 * See: https://hl7.org/fhir/R4/datatypes.html#primitive
 */

const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const MONTH = '(0[1-9]|1[0-2])';
const DAY = '(0[1-9]|[1-2][0-9]|3[0-1])';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';
const ZONE = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';

const anchored = (re: string): RegExp => new RegExp(`^(?:${re})$`);

/** The published regexes use Java's `\s`, which is ASCII whitespace only (a no-break space is `\S`). */
const WS = '[ \\t\\n\\x0B\\f\\r]';
const NWS = '[^ \\t\\n\\x0B\\f\\r]';

/** The R4 regex of each string-represented primitive (as published on the type's `value` element). */
const STRING_FORMATS: Record<string, RegExp> = {
  string: anchored('[^\\x0B\\f]+'),
  markdown: anchored('[^\\x0B\\f]+'),
  code: anchored(`${NWS}+(${WS}${NWS}+)*`),
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  uri: anchored(`${NWS}*`),
  url: anchored(`${NWS}*`),
  canonical: anchored(`${NWS}*`),
  oid: /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/,
  uuid: /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  base64Binary: anchored(`(${WS}*([0-9a-zA-Z+/=]){4}${WS}*)+`),
  date: anchored(`${YEAR}(-${MONTH}(-${DAY})?)?`),
  dateTime: anchored(`${YEAR}(-${MONTH}(-${DAY}(T${TIME}${ZONE})?)?)?`),
  instant: anchored(`${YEAR}-${MONTH}-${DAY}T${TIME}${ZONE}`),
  time: anchored(TIME),
  xhtml: /^\s*<div[\s>]/,
};

const INTEGER_RANGES: Record<string, [number, number]> = {
  integer: [-2147483648, 2147483647],
  positiveInt: [1, 2147483647],
  unsignedInt: [0, 2147483647],
};

const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);

/** A date that matches the regex can still name a day that does not exist (2023-02-30). */
function realCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return true;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The problem with a primitive JSON value, or undefined when it is valid for `type`. */
export function primitiveProblem(value: unknown, type: string): string | undefined {
  if (type === 'boolean') return typeof value === 'boolean' ? undefined : `Expected a JSON boolean for ${type}`;
  const range = INTEGER_RANGES[type];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value)) return `Expected a JSON integer number for ${type}`;
    if (value < range[0] || value > range[1]) return `${type} value ${value} is outside ${range[0]}..${range[1]}`;
    return undefined;
  }
  if (type === 'decimal') {
    return typeof value === 'number' && Number.isFinite(value) ? undefined : `Expected a JSON number for ${type}`;
  }
  if (typeof value !== 'string') return `Expected a JSON string for ${type}`;
  if (value.length === 0) return `Empty ${type} value (omit the element instead)`;
  if (type === 'string' && value.length > 1048576) return 'string exceeds 1 MB';
  const re = STRING_FORMATS[type];
  if (re && !re.test(value)) {
    return `Invalid ${type} '${shorten(value)}'`;
  }
  if (DATE_TYPES.has(type) && !realCalendarDate(value)) return `Invalid ${type} '${value}': no such day`;
  return undefined;
}

const shorten = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

/** Compares two date/dateTime/instant/time strings at the shorter precision: -1, 0, 1. */
export function compareTemporal(a: string, b: string): number {
  const n = Math.min(a.length, b.length, 19);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  return x < y ? -1 : x > y ? 1 : 0;
}

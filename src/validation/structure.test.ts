import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE } from '../fhir/codes';
import { Definitions, GRADUS_RESOURCES_DIR } from './definitions';
import { compileStructure } from './structure';
import { subsumesBase } from './subsumption';

const defs = new Definitions();
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('missing');
  return v;
};

describe('compileStructure', () => {
  const session = must(defs.structure(PROFILE.exerciseSession));

  it('hangs slices on the sliced element and their children under the slice', () => {
    const component = must(session.byId.get('Observation.component'));
    const names = component.slices.map((s) => s.sliceName);
    expect(names).toEqual(expect.arrayContaining(['setsCompleted', 'painDuring', 'loadLifted']));
    const pain = must(component.slices.find((s) => s.sliceName === 'painDuring'));
    expect(pain.slicedFrom).toBe(component);
    expect(pain.children.map((c) => c.jsonName)).toEqual(expect.arrayContaining(['code', 'value']));
    expect(must(pain.children.find((c) => c.jsonName === 'value')).maxValue).toEqual({ type: 'Integer', value: 10 });
  });

  it('keeps JSON array-ness from the base even when a profile narrows max to 1', () => {
    const basedOn = must(session.byId.get('Observation.basedOn'));
    expect(basedOn.max).toBe(1);
    expect(basedOn.isArray).toBe(true);
  });

  it('reads choice elements, system types and contentReference', () => {
    const obs = must(defs.typeStructure('Observation'));
    const value = must(obs.byId.get('Observation.value[x]'));
    expect(value.choice).toBe(true);
    expect(value.jsonName).toBe('value');
    expect(must(obs.byId.get('Observation.id')).types[0]).toMatchObject({ code: 'string', system: true });
    expect(must(obs.byId.get('Observation.component.referenceRange')).contentReference).toBe('#Observation.referenceRange');
  });

  it('keeps a slice name that contains a dot whole', () => {
    const s = compileStructure({
      url: 'http://example.org/sd',
      type: 'Observation',
      kind: 'resource',
      snapshot: {
        element: [
          { id: 'Observation', path: 'Observation', min: 0, max: '*' },
          { id: 'Observation.component', path: 'Observation.component', min: 0, max: '*', slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules: 'closed' } },
          { id: 'Observation.component:v1.2', path: 'Observation.component', sliceName: 'v1.2', min: 1, max: '1' },
          { id: 'Observation.component:v1.2.code', path: 'Observation.component.code', min: 1, max: '1', patternCodeableConcept: { text: 'x' } },
        ],
      },
    });
    const slice = must(must(s.byId.get('Observation.component')).slices[0]);
    expect(slice.sliceName).toBe('v1.2');
    expect(slice.children.map((c) => c.id)).toEqual(['Observation.component:v1.2.code']);
    expect(must(s.byId.get('Observation.component')).slicing?.rules).toBe('closed');
  });
});

describe('subsumesBase', () => {
  it.each(Object.entries(PROFILE))('%s carries every rule of its base resource', (_name, url) => {
    const profile = must(defs.structure(url));
    expect(subsumesBase(profile, must(defs.typeStructure(profile.type)))).toBe(true);
  });

  it.each([
    ['an element removed', (els: { id: string; min?: number }[]) => els.filter((e) => e.id !== 'Observation.status')],
    ['a base-required element made optional', (els: { id: string; min?: number }[]) => els.map((e) => (e.id === 'Observation.code' ? { ...e, min: 0 } : e))],
    ['a core constraint dropped', (els: { id: string; constraint?: unknown[] }[]) => els.map((e) => (e.id === 'Observation' ? { ...e, constraint: [] } : e))],
  ])('does not vouch for a snapshot with %s', (_what, edit) => {
    const raw = JSON.parse(JSON.stringify(readRaw(PROFILE.painScore))) as { url: string; snapshot: { element: { id: string }[] } };
    raw.url = `${raw.url}-tampered`;
    raw.snapshot.element = edit(raw.snapshot.element);
    expect(subsumesBase(compileStructure(raw), must(defs.typeStructure('Observation')))).toBe(false);
  });
});

function readRaw(url: string): unknown {
  const file = join(GRADUS_RESOURCES_DIR, `StructureDefinition-${url.slice(url.lastIndexOf('/') + 1)}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

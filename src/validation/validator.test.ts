import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE } from '../fhir/codes';
import { GRADUS_RESOURCES_DIR } from './definitions';
import { Validator } from './validator';

type Sd = { url: string; snapshot: { element: { id: string; constraint?: { key: string }[] }[] } };

/** The pain-score profile under another url, its root stripped of the core obs-6 constraint. */
function withoutObs6(): Sd {
  const sd = JSON.parse(readFileSync(join(GRADUS_RESOURCES_DIR, 'StructureDefinition-gradus-pain-score.json'), 'utf8')) as Sd;
  sd.url = 'https://example.org/StructureDefinition/pain-score-without-obs-6';
  for (const e of sd.snapshot.element) if (e.id === 'Observation') e.constraint = (e.constraint ?? []).filter((c) => c.key !== 'obs-6');
  return sd;
}

const painScore = {
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-02-21T08:00:00+01:00',
  valueInteger: 3,
  dataAbsentReason: { text: 'asked twice' },
};

describe('Validator', () => {
  const validator = new Validator({ resources: [withoutObs6()] });
  const errorKeys = (profile: string): string[] =>
    validator.validate(painScore, { profile }).issue.filter((i) => i.severity === 'error').map((i) => (i.diagnostics ?? '').split(':')[0] ?? '');

  it('applies the base definition when a profile snapshot lost one of its rules', () => {
    expect(errorKeys('https://example.org/StructureDefinition/pain-score-without-obs-6')).toEqual(['obs-6']);
  });

  it('applies the same rule through a complete profile', () => {
    expect(errorKeys(PROFILE.painScore)).toEqual(['obs-6']);
  });

  it('knows the extra conformance resources it is given, besides the Gradus ones', () => {
    expect(validator.definitions.structure('https://example.org/StructureDefinition/pain-score-without-obs-6')?.type).toBe('Observation');
    expect(validator.definitions.localUrls).toContain(PROFILE.painScore);
  });
});

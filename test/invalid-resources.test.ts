/**
 * The validator against hand-made invalid resources: each fixture in test/invalid carries one defect and
 * must produce an error at the expression the manifest names (the issue expression convention of implementation-guide.md "Validating").
 */
import type { OperationOutcome } from 'fhir/r4';
import { PROFILE } from '../src/fhir/codes';
import { validate } from '../src/validation';
import { CHECK_KINDS, expectedLine, fixtureFiles, isAtOrBelow, loadManifest, readBase, readFixture } from './invalid/manifest';

const manifest = loadManifest();

/** Each error issue as `<expression>: <diagnostics>`, one line per expression it names. */
function errorLines(oo: OperationOutcome): string[] {
  return oo.issue
    .filter((i) => i.severity === 'error')
    .flatMap((i) => (i.expression ?? ['(no expression)']).map((e) => `${e}: ${i.diagnostics ?? i.code}`));
}

describe('the invalid fixture set', () => {
  it('lists every fixture file in the manifest, and only existing files', () => {
    expect(manifest.map((m) => m.file).sort()).toEqual(fixtureFiles().sort());
  });

  it.each(Object.keys(PROFILE).map((k) => PROFILE[k as keyof typeof PROFILE].split('/').pop() ?? k))(
    'has at least five invalid variants of %s',
    (profileId) => {
      expect(manifest.filter((m) => m.file.startsWith(`${profileId}/`)).length).toBeGreaterThanOrEqual(5);
    },
  );

  it('covers every kind of check, and only known kinds', () => {
    const kinds = new Set(manifest.map((m) => m.kind));
    expect([...kinds].sort()).toEqual([...CHECK_KINDS].sort());
  });

  it('declares each fixture against a Gradus profile (Bundles: every profiled entry)', () => {
    const profiles: string[] = Object.values(PROFILE);
    for (const m of manifest) {
      const r = readFixture(m.file) as { resourceType: string; meta?: { profile?: string[] }; entry?: { resource: { meta?: { profile?: string[] } } }[] };
      const declared = r.resourceType === 'Bundle' ? (r.entry ?? []).flatMap((e) => e.resource.meta?.profile ?? []) : (r.meta?.profile ?? []);
      expect({ file: m.file, declared: declared.filter((p) => !profiles.includes(p)) }).toEqual({ file: m.file, declared: [] });
      expect(declared.length).toBeGreaterThan(0);
    }
  });
});

describe('validate() on invalid resources', () => {
  it.each(manifest)('reports an error at $expression for $file ($why)', (m) => {
    const resource = readFixture(m.file);
    const before = JSON.stringify(resource);
    const lines = errorLines(validate(resource));
    expect(lines).toContainEqual(expect.stringMatching(expectedLine(m)));
    expect(JSON.stringify(resource)).toBe(before);
  });

  it.each(manifest)('reports nothing at $expression for the valid base of $file ($base)', (m) => {
    expect(errorLines(validate(readBase(m))).filter((l) => expectedLine(m).test(l))).toEqual([]);
  });

  it('applies the profile given in options when the resource declares none', () => {
    const resource = readFixture('gradus-pain-score/value-out-of-range.json') as { meta?: unknown };
    delete resource.meta;
    const lines = errorLines(validate(resource, { profile: PROFILE.painScore }));
    expect(lines.some((l) => isAtOrBelow(l.split(': ')[0] ?? '', 'Observation.value'))).toBe(true);
  });

  it('applies only the base definition when no profile is declared or given', () => {
    const resource = readFixture('gradus-pain-score/value-out-of-range.json') as { meta?: unknown };
    delete resource.meta;
    expect(errorLines(validate(resource))).toEqual([]);
  });
});

describe('validate() on input that is not a FHIR resource', () => {
  it.each<[string, unknown]>([
    ['an empty object', {}],
    ['a JSON array', [{ resourceType: 'Patient' }]],
    ['a string', 'Patient'],
    ['a number', 42],
    ['null', null],
    ['an unknown resourceType', { resourceType: 'NotAType' }],
    ['a resourceType that is not a string', { resourceType: 7 }],
  ])('returns an error issue for %s and does not throw', (_label, input) => {
    let oo: OperationOutcome | undefined;
    expect(() => {
      oo = validate(input);
    }).not.toThrow();
    expect(oo?.resourceType).toBe('OperationOutcome');
    expect(oo?.issue.some((i) => i.severity === 'error' || i.severity === 'fatal')).toBe(true);
  });
});

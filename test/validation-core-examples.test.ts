/**
 * No false positives: every official HL7 R4 example of the resource types Gradus profiles (and every
 * example Bundle holding one) validates without errors against the base definitions (plus the core
 * profiles they declare in meta.profile); the ones that are truly invalid are named here with the reason,
 * and the test checks that the validator reports exactly that.
 * See: https://hl7.org/fhir/R4/downloads.html (hl7.fhir.r4.examples 4.0.1)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { validate } from '../src/validation';

const PACKAGE_ROOT = resolve(__dirname, '../node_modules/hl7.fhir.r4.examples');
const EXAMPLES_DIR = existsSync(join(PACKAGE_ROOT, 'package')) ? join(PACKAGE_ROOT, 'package') : PACKAGE_ROOT;
const PROFILED_TYPES = new Set(['CarePlan', 'ServiceRequest', 'Observation', 'Goal', 'Provenance', 'Patient']);

type Json = Record<string, unknown>;

/** Official examples that break an R4 rule, with the errors the validator must report for them (all of them). */
/** Bundle-lri-example.json gives 16 Observations fullUrls `.../Observation/lri-<id>` for resources with id `<id>`. */
const LRI_MISMATCHES = 16;

const TRULY_INVALID: Record<string, { why: string; count: number; expression: RegExp; diagnostics: RegExp }> = {
  'Observation-clinical-gender.json': {
    why: 'Observation.performer references an Encounter; R4 allows Practitioner, PractitionerRole, Organization, CareTeam, Patient, RelatedPerson',
    count: 1,
    expression: /^Observation\.performer\[0\]$/,
    diagnostics: /Reference to a Encounter is not allowed/,
  },
  ...Object.fromEntries(
    [
      ['Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json', 1],
      ['Bundle-3a0707d3-549e-4467-b8b8-5a2ab3800efe.json', 1],
      ['Bundle-lri-example.json', LRI_MISMATCHES],
    ].map(([file, count]) => [
      file as string,
      {
        why: 'a RESTful fullUrl whose id is not the resource id (R4 Bundle.entry.fullUrl: the id portion SHALL end with Resource.id)',
        count: count as number,
        expression: /^Bundle\.entry\[\d+\]\.fullUrl$/,
        diagnostics: /does not name the entry's resource/,
      },
    ]),
  ),
};

function read(file: string): Json {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Json;
}

function holdsProfiledType(r: Json): boolean {
  if (typeof r.resourceType === 'string' && PROFILED_TYPES.has(r.resourceType)) return true;
  if (r.resourceType !== 'Bundle' || !Array.isArray(r.entry)) return false;
  return r.entry.some((e: unknown) => {
    const res = (e as Json | null)?.resource as Json | undefined;
    return typeof res?.resourceType === 'string' && PROFILED_TYPES.has(res.resourceType);
  });
}

const files = readdirSync(EXAMPLES_DIR)
  .filter((f) => /^[A-Z][A-Za-z]+-.*\.json$/.test(f))
  .filter((f) => holdsProfiledType(read(f)))
  .sort();

const errorsOf = (r: unknown): OperationOutcomeIssue[] => validate(r).issue.filter((i) => i.severity === 'error');
const describe_ = (issues: OperationOutcomeIssue[]): string[] =>
  issues.map((i) => `${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`);

describe('HL7 R4 core examples of the profiled types', () => {
  it('finds the examples package and every profiled type in it', () => {
    const types = new Set(files.map((f) => read(f).resourceType));
    expect([...PROFILED_TYPES].every((t) => types.has(t))).toBe(true);
    expect(types.has('Bundle')).toBe(true);
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(files.filter((f) => !(f in TRULY_INVALID)))('%s validates with no errors', (file) => {
    expect(describe_(errorsOf(read(file)))).toEqual([]);
  });

  const invalid = Object.entries(TRULY_INVALID).map(([file, e]) => [file, e.why, e] as const);
  it.each(invalid)('%s is truly invalid (%s) and reported so', (file, _why, expected) => {
    const errors = errorsOf(read(file));
    expect(errors).toHaveLength(expected.count);
    for (const error of errors) {
      expect(error.expression?.[0]).toMatch(expected.expression);
      expect(error.diagnostics).toMatch(expected.diagnostics);
    }
  });
});

/**
 * The committed profiles are exactly what SUSHI builds from the FSH, and they carry the ids, urls,
 * codes and constraints the contract fixes. See: implementation-guide.md "Profiles", "Extensions", "Terminology".
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CodeSystem, ElementDefinition, StructureDefinition, ValueSet } from 'fhir/r4';
import { evaluate, parse } from 'fhirpath';
import {
  CANONICAL_BASE,
  CS,
  DECISIONS,
  DOMAINS,
  DOSE_PART,
  EXERCISE_THERAPY,
  EXT,
  GRADUS_CODE,
  INTENSITY_MEASURES,
  LOINC,
  LOINC_CODE,
  MODES,
  PHASES,
  POLICY_PART,
  PROFILE,
  RED_FLAGS,
  SNOMED,
  VS,
} from '../src/fhir/codes';

const REPO = resolve(__dirname, '..');
const COMMITTED = join(REPO, 'profiles', 'fsh-generated', 'resources');

let built = '';
let buildWarnings = '';

beforeAll(() => {
  built = mkdtempSync(join(tmpdir(), 'gradus-profiles-'));
  const stderr = execFileSync(process.execPath, [join(REPO, 'scripts', 'build-profiles.mjs'), built], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  buildWarnings = stderr;
}, 180_000);

afterAll(() => {
  if (built) rmSync(built, { recursive: true, force: true });
});

const jsonFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const committed = (file: string): unknown => readJson(join(COMMITTED, file));
const sd = (id: string): StructureDefinition => committed(`StructureDefinition-${id}.json`) as StructureDefinition;
const codeSystem = (id: string): CodeSystem => committed(`CodeSystem-${id}.json`) as CodeSystem;
const valueSet = (id: string): ValueSet => committed(`ValueSet-${id}.json`) as ValueSet;
const idOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

function element(profileId: string, elementId: string): ElementDefinition {
  const found = sd(profileId).snapshot?.element.find((e) => e.id === elementId);
  if (!found) throw new Error(`${profileId} has no snapshot element ${elementId}`);
  return found;
}

describe('SUSHI build', () => {
  it('finishes without errors or unexpected warnings', () => {
    expect(buildWarnings).toBe('');
  });

  it('writes the same set of files as the committed profiles', () => {
    expect(jsonFiles(join(built, 'resources'))).toEqual(jsonFiles(COMMITTED));
  });

  it.each(jsonFiles(COMMITTED))('builds %s exactly as committed (rerun `npm run profiles`)', (file) => {
    expect(readJson(join(built, 'resources', file))).toEqual(committed(file));
  });
});

describe('contract identity', () => {
  const profiles: [string, string][] = [
    [PROFILE.exercisePlan, 'CarePlan'],
    [PROFILE.exerciseOrder, 'ServiceRequest'],
    [PROFILE.exerciseSession, 'Observation'],
    [PROFILE.dailyCheckIn, 'Observation'],
    [PROFILE.painScore, 'Observation'],
    [PROFILE.symptomAlert, 'Observation'],
    [PROFILE.toleranceTest, 'Observation'],
    [PROFILE.exerciseGoal, 'Goal'],
    [PROFILE.progressionProvenance, 'Provenance'],
  ];
  it.each(profiles)('defines profile %s on %s with a snapshot', (url, type) => {
    const def = sd(idOf(url));
    expect(def).toMatchObject({ url, type, derivation: 'constraint', fhirVersion: '4.0.1' });
    expect(def.baseDefinition).toBe(`http://hl7.org/fhir/StructureDefinition/${type}`);
    expect(def.snapshot?.element.length).toBeGreaterThan(0);
    expect(def.description?.length).toBeGreaterThan(80);
  });

  const extensions: [string, string][] = [
    [EXT.exerciseDose, 'ServiceRequest'],
    [EXT.progressionPolicy, 'CarePlan'],
    [EXT.progressionPhase, 'CarePlan'],
    [EXT.phaseSince, 'CarePlan'],
    [EXT.referencePain, 'CarePlan'],
    [EXT.flareSince, 'CarePlan'],
    [EXT.progressionRationale, 'Provenance'],
  ];
  it.each(extensions)('defines extension %s in the context of %s', (url, context) => {
    expect(sd(idOf(url))).toMatchObject({ url, type: 'Extension', context: [{ type: 'element', expression: context }] });
  });

  it('puts every canonical url under the Gradus base', () => {
    const urls = jsonFiles(COMMITTED).map((f) => (committed(f) as { url?: string }).url ?? '');
    expect(urls.filter((u) => !u.startsWith(`${CANONICAL_BASE}/`))).toEqual([]);
  });
});

describe('terminology', () => {
  const exactCodeLists: [string, readonly string[]][] = [
    [CS.gradus, Object.values(GRADUS_CODE)],
    [CS.exerciseDomain, DOMAINS],
    [CS.progressionMode, MODES],
    [CS.intensityMeasure, INTENSITY_MEASURES],
    [CS.progressionPhase, PHASES],
    [CS.progressionDecision, DECISIONS],
    [CS.redFlag, RED_FLAGS],
  ];
  it.each(exactCodeLists)('CodeSystem %s is complete with exactly the contract codes', (url, codes) => {
    const cs = codeSystem(idOf(url));
    expect(cs).toMatchObject({ url, content: 'complete', status: 'active' });
    expect((cs.concept ?? []).map((c) => c.code).sort()).toEqual([...codes].sort());
    expect((cs.concept ?? []).filter((c) => !c.display || !c.definition)).toEqual([]);
  });

  const valueSets: [string, string][] = Object.entries(CS).map(([key, url]) => [VS[key as keyof typeof VS], url]);
  it.each(valueSets)('ValueSet %s includes all codes of %s under the same id', (vsUrl, csUrl) => {
    expect(idOf(vsUrl)).toBe(idOf(csUrl));
    expect(valueSet(idOf(vsUrl))).toMatchObject({ url: vsUrl, compose: { include: [{ system: csUrl }] } });
    expect(valueSet(idOf(vsUrl)).compose?.include[0]?.concept).toBeUndefined();
    expect(codeSystem(idOf(csUrl)).valueSet).toBe(vsUrl);
  });

  const catalogue = codeSystem('exercise');
  const domainOf = (code: string): string | undefined =>
    catalogue.concept?.find((c) => c.code === code)?.property?.find((p) => p.code === 'domain')?.valueCoding?.code;
  const contractExercises = [
    'sit-to-stand', 'wall-push-up', 'step-up', 'glute-bridge', 'band-row', 'farmer-carry', 'walking',
    'stationary-cycling', 'aquatic-walking', 'cat-camel', 'hip-flexor-stretch', 'thoracic-rotation',
    'hamstring-stretch', 'single-leg-stance', 'tandem-walk', 'heel-raise', 'side-plank', 'bird-dog',
    'diaphragmatic-breathing', 'nordic-walking',
  ];

  it.each(contractExercises)('the exercise catalogue has %s', (code) => {
    expect(catalogue.concept?.some((c) => c.code === code)).toBe(true);
  });

  it('defines the Coding property domain and gives every exercise one from exercise-domain', () => {
    expect(catalogue).toMatchObject({ content: 'complete', property: [{ code: 'domain', type: 'Coding' }] });
    const concepts = catalogue.concept ?? [];
    expect(concepts.length).toBeGreaterThanOrEqual(20);
    for (const c of concepts) {
      expect(c.property).toEqual([
        { code: 'domain', valueCoding: expect.objectContaining({ system: CS.exerciseDomain }) as unknown },
      ]);
      expect(DOMAINS).toContain(domainOf(c.code));
    }
  });

  it.each([
    ['diaphragmatic-breathing', 'mobility'],
    ['sit-to-stand', 'strength'],
    ['walking', 'endurance'],
    ['single-leg-stance', 'neuromotor'],
  ])('classes %s as %s', (code, domain) => {
    expect(domainOf(code)).toBe(domain);
  });
});

describe('profile constraints', () => {
  it.each(['gradus-exercise-plan', 'gradus-exercise-order', 'gradus-exercise-session', 'gradus-daily-check-in',
    'gradus-pain-score', 'gradus-symptom-alert', 'gradus-tolerance-test', 'gradus-exercise-goal'])(
    '%s requires exactly one subject, a Patient',
    (id) => {
      const subject = element(id, `${sd(id).type ?? ''}.subject`);
      expect(subject).toMatchObject({ min: 1, max: '1' });
      expect(subject.type?.map((t) => t.targetProfile)).toEqual([['http://hl7.org/fhir/StructureDefinition/Patient']]);
    },
  );

  it.each([
    ['gradus-pain-score', 'Observation.value[x]', 'integer'],
    ['gradus-symptom-alert', 'Observation.value[x]', 'boolean'],
    ['gradus-tolerance-test', 'Observation.value[x]', 'Quantity'],
  ])('%s requires %s of type %s', (id, path, type) => {
    expect(element(id, path)).toMatchObject({ min: 1, max: '1', type: [{ code: type }] });
  });

  it.each([
    ['gradus-pain-score', 'Observation.value[x]'],
    ['gradus-exercise-session', 'Observation.component:rpe.value[x]'],
    ['gradus-exercise-session', 'Observation.component:painDuring.value[x]'],
    ['gradus-exercise-session', 'Observation.component:painAfter.value[x]'],
    ['gradus-daily-check-in', 'Observation.component:pain.value[x]'],
    ['gradus-daily-check-in', 'Observation.component:morningStiffness.value[x]'],
    ['gradus-daily-check-in', 'Observation.component:fatigue.value[x]'],
    ['gradus-daily-check-in', 'Observation.component:mood.value[x]'],
    ['gradus-daily-check-in', 'Observation.component:confidence.value[x]'],
    ['progression-policy', 'Extension.extension:painCeiling.value[x]'],
  ])('%s bounds the 0-10 score %s', (id, path) => {
    expect(element(id, path)).toMatchObject({ type: [{ code: 'integer' }], minValueInteger: 0, maxValueInteger: 10 });
  });

  it.each([
    ['gradus-exercise-session', 'Observation.component:duration.code', LOINC, LOINC_CODE.exerciseDuration],
    ['gradus-exercise-session', 'Observation.component:heartRate.code', LOINC, LOINC_CODE.heartRate],
    ['gradus-exercise-session', 'Observation.component:rpe.code', LOINC, LOINC_CODE.rpe],
    ['gradus-exercise-session', 'Observation.component:painDuring.code', CS.gradus, GRADUS_CODE.painDuring],
    ['gradus-daily-check-in', 'Observation.component:pain.code', LOINC, LOINC_CODE.pain],
    ['gradus-daily-check-in', 'Observation.component:sleepDuration.code', LOINC, LOINC_CODE.sleepDuration],
    ['gradus-daily-check-in', 'Observation.component:steps.code', LOINC, LOINC_CODE.steps],
    ['gradus-exercise-order', 'ServiceRequest.category:therapy', SNOMED, EXERCISE_THERAPY],
  ])('%s slice %s is recognised by the pattern %s|%s, without display', (id, path, system, code) => {
    expect(element(id, path).patternCodeableConcept).toEqual({ coding: [{ system, code }] });
  });

  it('recognises the order domain category by its system alone, bound required to exercise-domain', () => {
    expect(element('gradus-exercise-order', 'ServiceRequest.category:domain')).toMatchObject({
      min: 1,
      max: '1',
      patternCodeableConcept: { coding: [{ system: CS.exerciseDomain }] },
      binding: { strength: 'required', valueSet: VS.exerciseDomain },
    });
  });

  it.each([
    ['gradus-exercise-plan', 'CarePlan.extension:progressionPolicy', EXT.progressionPolicy, 0, '1'],
    ['gradus-exercise-plan', 'CarePlan.extension:progressionPhase', EXT.progressionPhase, 1, '1'],
    ['gradus-exercise-plan', 'CarePlan.extension:phaseSince', EXT.phaseSince, 0, '1'],
    ['gradus-exercise-plan', 'CarePlan.extension:referencePain', EXT.referencePain, 0, '1'],
    ['gradus-exercise-plan', 'CarePlan.extension:flareSince', EXT.flareSince, 0, '1'],
    ['gradus-exercise-order', 'ServiceRequest.extension:exerciseDose', EXT.exerciseDose, 1, '1'],
    ['gradus-progression-provenance', 'Provenance.extension:progressionRationale', EXT.progressionRationale, 1, '1'],
  ])('%s slice %s carries the extension url %s in type.profile, %i..%s', (id, path, url, min, max) => {
    expect(element(id, path)).toMatchObject({ min, max, type: [{ code: 'Extension', profile: [url] }] });
  });

  it.each([
    ['exercise-dose', DOSE_PART],
    ['progression-policy', POLICY_PART],
  ])('complex extension %s has exactly the sub-extensions of the contract', (id, parts) => {
    const slices = (sd(id).snapshot?.element ?? [])
      .filter((e) => /^Extension\.extension:[A-Za-z]+$/.test(e.id ?? ''))
      .map((e) => e.sliceName);
    expect(slices).toEqual([...parts]);
  });

  it.each([
    ['gradus-tolerance-test', 'Observation.basedOn', 1, '1'],
    ['gradus-exercise-goal', 'Goal.target', 1, '*'],
    ['gradus-exercise-goal', 'Goal.target.due[x]', 1, '1'],
    ['gradus-exercise-plan', 'CarePlan.activity', 1, '*'],
    ['gradus-exercise-plan', 'CarePlan.period.start', 1, '1'],
    ['gradus-exercise-order', 'ServiceRequest.occurrence[x]', 1, '1'],
    ['gradus-progression-provenance', 'Provenance.reason', 1, '1'],
    ['gradus-daily-check-in', 'Observation.category:survey', 1, '1'],
  ])('%s constrains %s to %i..%s', (id, path, min, max) => {
    expect(element(id, path)).toMatchObject({ min, max });
  });
});

/** Every Gradus invariant in the committed definitions, with the element it sits on. */
const invariants = jsonFiles(COMMITTED)
  .filter((f) => f.startsWith('StructureDefinition-'))
  .flatMap((f) => {
    const def = committed(f) as StructureDefinition;
    return (def.differential?.element ?? []).flatMap((e) =>
      (e.constraint ?? []).filter((c) => c.key.startsWith('gradus-')).map((c) => ({ def, path: e.id ?? '', ...c })),
    );
  });

describe('invariants', () => {
  it('are numbered gradus-<definition id>-<n>, complete and parseable', () => {
    expect(invariants.length).toBeGreaterThanOrEqual(15);
    for (const c of invariants) {
      expect(c.key).toMatch(new RegExp(`^${c.def.id?.startsWith('gradus-') ? '' : 'gradus-'}${c.def.id ?? ''}-\\d+$`));
      expect(c).toMatchObject({ severity: 'error', source: c.def.url });
      expect(c.human.length).toBeGreaterThan(10);
      expect(() => parse(c.expression ?? '') as unknown).not.toThrow();
    }
  });

  const ucum = (code: string, value = 1): object => ({ value, system: 'http://unitsofmeasure.org', code });
  const decision = (code: string): object => ({
    coding: [{ system: CS.progressionDecision, code }],
  });
  const fatigue = { code: { coding: [{ system: CS.gradus, code: GRADUS_CODE.fatigue }] }, valueInteger: 4 };
  const update = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }] };
  it.each<[string, string, unknown, boolean]>([
    ['gradus-exercise-order-1', 'accepts intent order', 'order', true],
    ['gradus-exercise-order-1', 'rejects intent directive', 'directive', false],
    ['gradus-exercise-session-1', 'accepts status amended', 'amended', true],
    ['gradus-exercise-session-1', 'rejects status preliminary', 'preliminary', false],
    ['gradus-exercise-dose-1', 'rejects a dose of load only', { extension: [{ url: 'load', valueQuantity: ucum('kg') }] }, false],
    ['gradus-exercise-dose-1', 'accepts a dose of duration only', { extension: [{ url: 'duration', valueQuantity: ucum('min', 20) }] }, true],
    ['gradus-exercise-dose-2', 'accepts a load in kg', ucum('kg', 5), true],
    ['gradus-exercise-dose-2', 'rejects a load in pounds', ucum('[lb_av]', 10), false],
    ['gradus-exercise-dose-2', 'rejects a load without unit', { value: 5 }, false],
    ['gradus-exercise-dose-3', 'accepts a hold time in s', ucum('s', 30), true],
    ['gradus-exercise-dose-3', 'rejects a duration in h', ucum('h'), false],
    ['gradus-exercise-dose-4', 'accepts a zone in /min', { low: ucum('/min', 95), high: ucum('/min', 110) }, true],
    ['gradus-exercise-dose-4', 'rejects a zone bound without unit', { low: ucum('/min', 95), high: { value: 110 } }, false],
    ['gradus-exercise-dose-4', 'rejects a zone without bounds', {}, false],
    ['gradus-exercise-dose-5', 'accepts an RPE target of 2-3', { low: ucum('{score}', 2), high: ucum('{score}', 3) }, true],
    ['gradus-exercise-dose-5', 'rejects an RPE target above 10', { low: ucum('{score}', 2), high: ucum('{score}', 12) }, false],
    ['gradus-exercise-session-2', 'rejects a load lifted in g', ucum('g', 5000), false],
    ['gradus-exercise-session-3', 'accepts a session duration in min', ucum('min', 30), true],
    ['gradus-exercise-session-3', 'rejects a session duration in s', ucum('s', 30), false],
    ['gradus-exercise-session-4', 'accepts a heart rate in /min', ucum('/min', 120), true],
    ['gradus-daily-check-in-1', 'accepts a check-in with fatigue only', { component: [fatigue] }, true],
    ['gradus-daily-check-in-1', 'rejects a check-in without components', { component: [] }, false],
    ['gradus-daily-check-in-2', 'accepts sleep in h', ucum('h', 7), true],
    ['gradus-daily-check-in-3', 'accepts steps in /d', ucum('/d', 4000), true],
    ['gradus-daily-check-in-3', 'rejects steps in {steps}', ucum('{steps}', 4000), false],
    ['gradus-tolerance-test-1', 'accepts a tolerance in {repetitions}', ucum('{repetitions}', 12), true],
    ['gradus-tolerance-test-1', 'rejects a tolerance in kg', ucum('kg', 12), false],
    ['gradus-progression-provenance-1', 'accepts a hold without activity', { reason: [decision('hold')] }, true],
    ['gradus-progression-provenance-1', 'rejects a hold with activity', { reason: [decision('hold')], activity: update }, false],
    ['gradus-progression-provenance-1', 'accepts a progress with UPDATE', { reason: [decision('progress')], activity: update }, true],
    ['gradus-progression-provenance-1', 'rejects a regress without activity', { reason: [decision('regress')] }, false],
  ])('%s %s', (key, _label, input, expected) => {
    const constraint = invariants.find((c) => c.key === key);
    expect(constraint).toBeDefined();
    expect(evaluate(input, constraint?.expression ?? '')).toEqual([expected]);
  });
});

/**
 * The published examples: every file in examples/ is valid against the Gradus profiles, and the patient
 * Bundle is a coherent, plausible three-week history (implementation-guide.md "Examples"; docs/clinical-rules.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, CarePlan, Goal, Observation, OperationOutcome, Resource, ServiceRequest } from 'fhir/r4';
import { CS, DOMAINS, GRADUS_CODE, LOINC_CODE, PROFILE } from '../src/fhir/codes';
import { validate } from '../src/validation';

const ROOT = join(__dirname, '..');
const EXAMPLES = join(ROOT, 'examples');
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();
const read = <T = Resource>(file: string): T => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as T;
const PROFILE_URLS: string[] = Object.values(PROFILE);
const profileId = (url: string): string => url.split('/').pop() ?? url;

function errorLines(oo: OperationOutcome): string[] {
  return oo.issue
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${(i.expression ?? ['(no expression)']).join(', ')}: ${i.diagnostics ?? i.code}`);
}

describe('examples/', () => {
  it.each(files)('%s validates with no errors', (file) => {
    expect(errorLines(validate(read(file)))).toEqual([]);
  });

  it.each(files.filter((f) => read(f).resourceType !== 'Bundle'))('%s declares the Gradus profile its file is named after', (file) => {
    const profiles = read(file).meta?.profile ?? [];
    expect(profiles).toHaveLength(1);
    const url = profiles[0] ?? '';
    expect(PROFILE_URLS).toContain(url);
    expect(file === `${profileId(url)}.json` || file.startsWith(`${profileId(url)}-`)).toBe(true);
  });

  it.each(files.filter((f) => read(f).resourceType === 'Bundle'))('%s declares a Gradus profile on every entry but the Patient', (file) => {
    const undeclared = (read<Bundle>(file).entry ?? [])
      .map((e) => e.resource)
      .filter((r) => r !== undefined && r.resourceType !== 'Patient' && !(r.meta?.profile ?? []).some((p) => PROFILE_URLS.includes(p)))
      .map((r) => `${r?.resourceType}/${r?.id}`);
    expect(undeclared).toEqual([]);
  });

  it('has at least one example of every Gradus profile', () => {
    const declared = new Set(files.flatMap((f) => read(f).meta?.profile ?? []));
    expect(PROFILE_URLS.filter((p) => !declared.has(p))).toEqual([]);
  });

  it('has an exercise order example for each of the four domains', () => {
    const domains = files
      .filter((f) => f.startsWith('gradus-exercise-order'))
      .map((f) => read<ServiceRequest>(f).category?.flatMap((c) => c.coding ?? []).find((c) => c.system === CS.exerciseDomain)?.code);
    expect([...new Set(domains)].sort()).toEqual([...DOMAINS].sort());
  });
});

describe('examples/patient-bundle.json', () => {
  const bundle = read<Bundle>('patient-bundle.json');
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
  const withProfile = <T extends Resource>(url: string): T[] => resources.filter((r) => r.meta?.profile?.includes(url)) as T[];
  const orders = withProfile<ServiceRequest>(PROFILE.exerciseOrder);
  const sessions = withProfile<Observation>(PROFILE.exerciseSession);
  const checkIns = withProfile<Observation>(PROFILE.dailyCheckIn);
  const plans = withProfile<CarePlan>(PROFILE.exercisePlan);
  const goals = withProfile<Goal>(PROFILE.exerciseGoal);
  const dayOf = (o: Observation): string => (o.effectiveDateTime ?? o.effectivePeriod?.start ?? '').slice(0, 10);
  const start = plans[0]?.period?.start ?? '';
  const programWeek = (day: string): number => 1 + Math.floor((Date.parse(day) - Date.parse(start)) / (7 * 86_400_000));
  const componentValues = (obs: Observation[], system: string, code: string): number[] =>
    obs.flatMap((o) => o.component ?? [])
      .filter((c) => c.code.coding?.some((x) => x.system === system && x.code === code))
      .map((c) => c.valueInteger ?? c.valueQuantity?.value ?? Number.NaN);

  it('is a collection with one fictional Patient, one plan in phase build and one goal', () => {
    expect(bundle.type).toBe('collection');
    const patients = resources.filter((r) => r.resourceType === 'Patient');
    expect(patients).toHaveLength(1);
    expect(JSON.stringify(patients[0])).toMatch(/fictional/i);
    expect(plans).toHaveLength(1);
    const phase = plans[0]?.extension?.find((e) => e.url.endsWith('/progression-phase'))?.valueCode;
    expect(phase).toBe('build');
    expect(goals).toHaveLength(1);
    expect(plans[0]?.goal?.map((g) => g.reference)).toEqual([`Goal/${goals[0]?.id}`]);
  });

  it('has four orders, one per domain, all listed in the plan', () => {
    const domainOf = (o: ServiceRequest): string | undefined =>
      o.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === CS.exerciseDomain)?.code;
    expect(orders.map(domainOf).sort()).toEqual([...DOMAINS].sort());
    expect(plans[0]?.activity?.map((a) => a.reference?.reference).sort()).toEqual(orders.map((o) => `ServiceRequest/${o.id}`).sort());
  });

  it('has sessions of every order in each of three program weeks, about three per week', () => {
    for (const order of orders) {
      const own = sessions.filter((s) => s.basedOn?.some((b) => b.reference === `ServiceRequest/${order.id}`));
      const perWeek = new Map<number, number>();
      for (const s of own) perWeek.set(programWeek(dayOf(s)), (perWeek.get(programWeek(dayOf(s))) ?? 0) + 1);
      expect({ order: order.id, weeks: [...perWeek.keys()].sort() }).toEqual({ order: order.id, weeks: [1, 2, 3] });
      for (const n of perWeek.values()) expect(n).toBe(3);
    }
  });

  it('has a daily check-in on every day of the three weeks', () => {
    const days = new Set(checkIns.map(dayOf));
    expect(days.size).toBe(21);
    expect(new Set([...days].map(programWeek))).toEqual(new Set([1, 2, 3]));
  });

  it('keeps the logs plausible for progression: daily pain 2-4, pain during and after sessions at most 5', () => {
    const pain = componentValues(checkIns, 'http://loinc.org', LOINC_CODE.pain);
    expect(pain).toHaveLength(checkIns.length);
    expect(pain.every((p) => p >= 2 && p <= 4)).toBe(true);
    const during = componentValues(sessions, CS.gradus, GRADUS_CODE.painDuring);
    const after = componentValues(sessions, CS.gradus, GRADUS_CODE.painAfter);
    expect(during).toHaveLength(sessions.length);
    expect([...during, ...after].every((p) => p >= 0 && p <= 5)).toBe(true);
    expect(componentValues(checkIns, CS.gradus, GRADUS_CODE.fatigue).every((f) => f < 7)).toBe(true);
  });

  it('has unique fullUrls of the form https://example.org/fhir/<Type>/<id>, and every reference resolves within it', () => {
    const fullUrls = (bundle.entry ?? []).map((e) => e.fullUrl);
    expect(new Set(fullUrls).size).toBe(fullUrls.length);
    for (const e of bundle.entry ?? []) expect(e.fullUrl).toBe(`https://example.org/fhir/${e.resource?.resourceType}/${e.resource?.id}`);
    const refs: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v !== null && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'reference' && typeof x === 'string') refs.push(x);
          else collect(x);
        }
      }
    };
    resources.forEach(collect);
    expect(refs.length).toBeGreaterThan(100);
    const known = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
    expect(refs.filter((r) => !known.has(r))).toEqual([]);
  });

  it('is exactly what scripts/make-example-bundle.mjs generates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradus-bundle-'));
    try {
      const out = join(dir, 'bundle.json');
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'make-example-bundle.mjs'), out]);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(EXAMPLES, 'patient-bundle.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

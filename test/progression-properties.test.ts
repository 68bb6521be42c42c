/**
 * Properties of progress() over generated 2-12 week histories in every phase and mode (fast-check):
 * it never throws on well-formed input, never mutates it, is deterministic, moves no dose variable more than
 * one increment in one run (docs/clinical-rules.md "Increments (one step)"; a regress to a dose of the replaces chain included),
 * and a same-day re-run settles at once: run 2 changes nothing, run 3 writes nothing.
 *
 * The runs are reproducible: fast-check's seed is FC_SEED from the environment, else a fixed constant,
 * so CI sees the same cases every time. To explore other cases, run with another seed, e.g.
 *   FC_SEED=$RANDOM npx jest test/progression-properties
 * (FC_RUNS=<n> multiplies the number of runs). A failure prints its seed and path; replay it with
 * FC_SEED=<seed> and, in the failing property, fc.assert(..., { path: '<path>' }).
 */
import fc from 'fast-check';
import type { Bundle } from 'fhir/r4';
import { DOMAINS, PHASES } from '../src/fhir/codes';
import { OperationOutcomeError } from '../src/fhir/outcome';
import { sameDose } from '../src/progression/dose/dose';
import { progress, type OrderDecision } from '../src/progression/progress';
import type { Domain, Dose } from '../src/progression/types';
import { applyTransaction } from './support/fhir-apply';
import { generateHistory, type GenerateOptions } from './support/generate';
import { parts, provenanceReason } from './support/inspect';
import { validationErrors } from './support/validity';

const NOWS = ['2026-11-27T09:00:00+01:00', '2026-03-29T23:30:00+02:00', '2026-06-01T06:15:00-07:00', '2026-01-01T12:00:00Z'];

const optionsArb: fc.Arbitrary<GenerateOptions> = fc.record({
  seed: fc.integer({ min: 1, max: 2_147_483_646 }),
  now: fc.constantFrom(...NOWS),
  weeks: fc.integer({ min: 2, max: 12 }),
  phase: fc.oneof({ arbitrary: fc.constant('build' as const), weight: 4 }, { arbitrary: fc.constantFrom(...PHASES), weight: 6 }),
  // every domain at most once, then up to two domains again: several orders per domain
  domains: fc
    .tuple(fc.subarray([...DOMAINS], { minLength: 1 }), fc.subarray([...DOMAINS], { maxLength: 2 }))
    .map(([once, again]) => [...once, ...again]),
  mode: fc.constantFrom('pain-guided' as const, 'quota-based' as const),
  painLevel: fc.integer({ min: 0, max: 6 }),
  painPattern: fc.oneof(
    { arbitrary: fc.constant('stable' as const), weight: 5 },
    { arbitrary: fc.constantFrom('rising' as const, 'spike' as const, 'flare' as const, 'settling' as const), weight: 5 },
  ),
  sessionPain: fc.oneof({ arbitrary: fc.constant('low' as const), weight: 3 }, { arbitrary: fc.constantFrom('mixed' as const, 'high' as const), weight: 2 }),
  fatigueHigh: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  alert: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  checkInRate: fc.double({ min: 0.2, max: 1, noNaN: true }),
  adherence: fc.double({ min: 0.3, max: 1, noNaN: true }),
  quantityPain: fc.boolean(),
  heartRate: fc.boolean(),
  past: fc.constantFrom('none' as const, 'deload' as const, 'flare' as const),
});

const DEFAULT_SEED = 20_260_227;
const seed = Number.parseInt(process.env.FC_SEED ?? '', 10);
const runScale = Math.max(1, Number.parseInt(process.env.FC_RUNS ?? '', 10) || 1);
fc.configureGlobal({ seed: Number.isSafeInteger(seed) ? seed : DEFAULT_SEED });

/** numRuns scaled by FC_RUNS (default 1). */
const runs = (numRuns: number): { numRuns: number } => ({ numRuns: numRuns * runScale });
const RUNS = runs(150);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const run = (bundle: Bundle): ReturnType<typeof progress> => progress(bundle, { now: bundle.timestamp ?? '' });

describe('progress() properties', () => {
  it('never throws on a well-formed generated history', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        run(generateHistory(o));
      }),
      RUNS,
    );
  });

  it('on corrupted input either works or throws OperationOutcomeError, never anything else', () => {
    const corruption = fc.record({
      options: optionsArb,
      target: fc.nat(),
      op: fc.constantFrom('delete' as const, 'null' as const, 'number' as const, 'string' as const, 'array' as const, 'object' as const),
    });
    fc.assert(
      fc.property(corruption, ({ options, target, op }) => {
        const bundle = corrupt(generateHistory(options), target, op);
        try {
          run(bundle);
        } catch (err) {
          expect(err).toBeInstanceOf(OperationOutcomeError);
        }
      }),
      RUNS,
    );
  });

  it('never mutates its input (deep-frozen Bundle, same JSON afterwards)', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const bundle = generateHistory(o);
        const before = JSON.stringify(bundle);
        run(deepFreeze(bundle));
        expect(JSON.stringify(bundle)).toBe(before);
      }),
      RUNS,
    );
  });

  it('gives byte-identical output for the same input and now', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        expect(JSON.stringify(run(generateHistory(o)))).toBe(JSON.stringify(run(generateHistory(o))));
      }),
      RUNS,
    );
  });

  it('moves no dose variable more than one increment in one run (progress, and regress to a chain dose or one increment down)', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        for (const d of run(generateHistory(o)).orders) {
          if (d.decision === 'progress') expectOneStepUp(d);
          if (d.decision === 'regress') expectOneStepDown(d);
        }
      }),
      { ...RUNS, examples: [[REGRESS_AFTER_RESUME], [REGRESS_AFTER_RETURN]] },
    );
  });

  it('generates regresses that take a chain dose and regresses that pass one over (so the property above is exercised)', () => {
    const regressing = fc.sample(optionsArb.map((o) => ({ ...o, phase: 'build' as const, sessionPain: 'high' as const, painPattern: 'stable' as const, alert: false })), runs(60).numRuns);
    const targets = regressing.flatMap((o) => run(generateHistory(o)).orders.filter((d) => d.decision === 'regress').map((d) => d.rationale));
    expect(targets.some((t) => /the most recent lower dose in its replaces chain, from/.test(t))).toBe(true);
    expect(targets.some((t) => /is more than one increment down\)/.test(t))).toBe(true);
  });

  it('writes transactions whose resources validate against the Gradus profiles', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        expect(validationErrors(run(generateHistory(o)).transaction)).toEqual([]);
      }),
      { ...runs(100), examples: [[SHORT_RETURN_WITH_MOBILITY]] },
    );
  });

  it('settles on a same-day re-run: after applying run 1, run 2 changes no order, plan or phase and writes only conditional hold Provenances; run 3 writes nothing', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const now = o.now ?? '';
        const s0 = generateHistory(o);
        const r1 = run(s0);
        const s1 = applied(s0, r1, now).bundle;
        const r2 = run(s1);
        expectNoChange(r2);
        const a2 = applied(s1, r2, now);
        // The evaluation key names the plan version (implementation-guide.md "Progression output"), so when run 1 changed the plan, run 2's
        // hold Provenances are new records; when run 1 changed nothing, run 2 writes nothing at all.
        const p1 = parts(r1.transaction);
        if (p1.puts.length === 0 && p1.postedOrders.length === 0) expect(a2.changed).toEqual([]);
        expect(a2.changed.filter((location) => !location.startsWith('Provenance/'))).toEqual([]);
        expect(applied(a2.bundle, run(a2.bundle), now).changed).toEqual([]);
      }),
      {
        ...runs(200),
        examples: [[BASELINE_SAME_DOSE], [TWO_STRENGTH_ORDERS], [FATIGUE_AFTER_RESUME], [QUOTA_AFTER_RETURN], [PAINFUL_BEFORE_RETURN], [FLARE_WITHOUT_REDUCED_ORDERS], [BASELINE_SAME_DOSE_WHILE_WAITING], [REGRESS_AFTER_RESUME], [REGRESS_AFTER_RETURN]],
      },
    );
  });
});

/** A run's output applied to its input (as a server would), with the locations of what it changed. */
function applied(bundle: Bundle, result: ReturnType<typeof progress>, now: string): { bundle: Bundle; changed: string[] } {
  const out = applyTransaction(bundle, result.transaction);
  return { bundle: { ...out.bundle, timestamp: now }, changed: out.outcomes.filter((x) => x.changed).map((x) => x.location) };
}

/** A run that changes nothing: same phase, every order held at its dose, no update, no create but conditional hold Provenances. */
function expectNoChange(result: ReturnType<typeof progress>): void {
  const { phaseFrom, phaseTo, rationale } = result.plan;
  expect(`${phaseFrom} -> ${phaseTo}: ${rationale ?? ''}`).toBe(`${phaseFrom} -> ${phaseFrom}: ${rationale ?? ''}`);
  expect(result.orders.filter((d) => d.decision !== 'hold' || !sameDose(d.from, d.to)).map((d) => `${d.orderId}: ${d.decision}: ${d.rationale}`)).toEqual([]);
  const p = parts(result.transaction);
  expect(p.puts.map((e) => e.request?.url)).toEqual([]);
  expect(p.posts.filter((e) => e.resource?.resourceType !== 'Provenance')).toEqual([]);
  for (const e of p.provenances) {
    expect(e.request?.ifNoneExist).toMatch(/^_tag=/);
    expect(e.resource && provenanceReason(e.resource)).toBe('hold');
  }
}

/** Two weeks of history, a return to load and only a mobility order: the generator once gave it no order at all. */
const SHORT_RETURN_WITH_MOBILITY: GenerateOptions = { seed: 652522717, now: '2026-11-27T09:00:00+01:00', weeks: 2, phase: 'return-to-load', domains: ['mobility'], mode: 'pain-guided', painLevel: 0, painPattern: 'stable', sessionPain: 'low', fatigueHigh: true, alert: true, checkInRate: 0.2, adherence: 0.3, quantityPain: false, heartRate: false };

/** Baseline established at the placeholder dose, then build: the re-run once progressed on baseline-phase sessions. */
const BASELINE_SAME_DOSE: GenerateOptions = {
  seed: 10,
  now: '2026-11-27T09:00:00+01:00',
  weeks: 11,
  phase: 'baseline',
  domains: ['mobility'],
  mode: 'pain-guided',
  painLevel: 0,
  painPattern: 'stable',
  sessionPain: 'low',
  fatigueHigh: false,
  alert: false,
  checkInRate: 0.5535376814659686,
  adherence: 0.3,
  quantityPain: false,
  heartRate: false,
};

const NOW = '2026-11-27T09:00:00+01:00';
const example = (o: Omit<GenerateOptions, 'now' | 'alert'>): GenerateOptions => ({ ...o, now: NOW, alert: false });

/** Two strength orders ready to progress: the one that held for alternating focus must not progress on the re-run. */
const TWO_STRENGTH_ORDERS = example({ seed: 676880, weeks: 12, phase: 'build', domains: ['strength', 'mobility', 'neuromotor', 'strength'], mode: 'pain-guided', painLevel: 0, painPattern: 'flare', sessionPain: 'low', fatigueHigh: false, checkInRate: 0.5165445774327964, adherence: 0.5137624854687601, quantityPain: true, heartRate: false });
/** Resume from a deload with high fatigue in the last days: the re-run must not deload the new build phase at once. */
const FATIGUE_AFTER_RESUME = example({ seed: 858392, weeks: 9, phase: 'deload', domains: ['neuromotor'], mode: 'pain-guided', painLevel: 1, painPattern: 'settling', sessionPain: 'low', fatigueHigh: true, checkInRate: 0.789399731089361, adherence: 0.5088588431244716, quantityPain: false, heartRate: false });
/** Return to build with an order that was already at its pre-flare dose: the re-run must not progress it at once. */
const QUOTA_AFTER_RETURN = example({ seed: 36118, weeks: 6, phase: 'return-to-load', domains: ['neuromotor'], mode: 'quota-based', painLevel: 2, painPattern: 'stable', sessionPain: 'low', fatigueHigh: false, checkInRate: 0.6624802359146997, adherence: 0.5881820992799476, quantityPain: true, heartRate: false });
/** Return to build after painful sessions at the pre-flare dose: the re-run must not regress on sessions the return phase judged. */
const PAINFUL_BEFORE_RETURN = example({ seed: 977702, weeks: 2, phase: 'return-to-load', domains: ['mobility', 'neuromotor', 'neuromotor'], mode: 'pain-guided', painLevel: 2, painPattern: 'spike', sessionPain: 'mixed', fatigueHigh: true, checkInRate: 0.8562875626375899, adherence: 0.5672511629527435, quantityPain: true, heartRate: false });

/** One order established at its placeholder dose while others wait for tests: the re-run once established it again. */
const BASELINE_SAME_DOSE_WHILE_WAITING = example({ seed: 1610154529, weeks: 10, phase: 'baseline', domains: ['strength', 'mobility', 'endurance', 'mobility'], mode: 'pain-guided', painLevel: 0, painPattern: 'rising', sessionPain: 'low', fatigueHigh: true, checkInRate: 0.2, adherence: 0.3, quantityPain: false, heartRate: false });
/** A flare over mobility and neuromotor orders only (nothing reduced) that settles: rule 3 goes straight to build. */
const FLARE_WITHOUT_REDUCED_ORDERS = example({ seed: 4242, weeks: 6, phase: 'flare', domains: ['mobility', 'neuromotor'], mode: 'pain-guided', painLevel: 2, painPattern: 'settling', sessionPain: 'low', fatigueHigh: false, checkInRate: 1, adherence: 0.8, quantityPain: false, heartRate: false });
/** Painful sessions right after a resume: the chain's most recent lower dose is the deload dose, more than one increment down. */
const REGRESS_AFTER_RESUME = example({ seed: 5151, weeks: 10, phase: 'build', domains: ['strength', 'endurance', 'mobility', 'neuromotor'], mode: 'pain-guided', painLevel: 2, painPattern: 'stable', sessionPain: 'high', fatigueHigh: false, checkInRate: 0.9, adherence: 1, quantityPain: false, heartRate: false, past: 'deload' });
/** Painful sessions after a return to load: the chain's most recent lower dose is the last return step, within one increment. */
const REGRESS_AFTER_RETURN = example({ seed: 6161, weeks: 12, phase: 'build', domains: ['strength', 'endurance'], mode: 'pain-guided', painLevel: 2, painPattern: 'stable', sessionPain: 'high', fatigueHigh: false, checkInRate: 0.9, adherence: 1, quantityPain: false, heartRate: false, past: 'flare' });

const EPS = 1e-9;
type Variable = 'load' | 'reps' | 'sets' | 'duration';
const value = (d: Dose, v: Variable): number | undefined => (v === 'duration' ? d.duration?.value : d[v]);

function changed(d: OrderDecision): Variable[] {
  return (['load', 'reps', 'sets', 'duration'] as const).filter((v) => value(d.from, v) !== value(d.to, v));
}

/** The largest single step of a variable (docs/clinical-rules.md "Increments (one step)", with half a rounding unit of slack). */
function maxStep(domain: Domain, v: Variable, from: Dose, up: boolean): number {
  const x = value(from, v) ?? 0;
  if (v === 'load') return up ? 0.1 * x : Math.max(0.5, 0.1 * x + 0.25);
  if (v === 'reps') return 2;
  if (v === 'sets') return 1;
  if (from.duration?.unit === 's') return Math.max(5, 0.1 * x + 2.5);
  return Math.max(1, domain === 'endurance' && up ? Math.min(5, 0.1 * x + 0.5) : 0.1 * x + 0.5);
}

function expectOneStepUp(d: OrderDecision): void {
  const moved = changed(d);
  expect({ order: d.orderId, moved: moved.length }).toEqual({ order: d.orderId, moved: 1 });
  const v = moved[0] as Variable;
  const delta = (value(d.to, v) ?? 0) - (value(d.from, v) ?? 0);
  expect(delta).toBeGreaterThan(0);
  expect(delta).toBeLessThanOrEqual(maxStep(d.domain, v, d.from, true) + EPS);
  if (v === 'sets') expect(d.to.sets).toBeLessThanOrEqual(3);
  if (d.from.step !== undefined) expect(d.to.step).toBe(d.from.step + 1);
  expect(d.to.rpeTarget).toEqual(d.from.rpeTarget);
  expect(d.to.heartRateZone).toEqual(d.from.heartRateZone);
}

/**
 * A regress lowers at least one variable, raises none, and lowers each by at most one regress increment
 * (docs/clinical-rules.md "Increments (one step)"): so also when its target is a dose of the replaces chain. One increment
 * down moves a single variable; a chain dose may differ in more than one, each within one increment.
 */
function expectOneStepDown(d: OrderDecision): void {
  const raised = (['load', 'reps', 'sets', 'duration'] as const).filter((v) => (value(d.to, v) ?? 0) > (value(d.from, v) ?? 0) + EPS);
  expect({ order: d.orderId, raised }).toEqual({ order: d.orderId, raised: [] });
  if (d.from.step !== undefined) expect(d.to.step).toBe(Math.max(1, d.from.step - 1));
  const moved = changed(d);
  expect(moved.length).toBeGreaterThan(0);
  if (!d.rationale.includes('the most recent lower dose in its replaces chain, from')) expect({ order: d.orderId, moved: moved.length }).toEqual({ order: d.orderId, moved: 1 });
  for (const v of moved) {
    const delta = (value(d.from, v) ?? 0) - (value(d.to, v) ?? 0);
    expect({ order: d.orderId, variable: v, delta, within: delta <= maxStep(d.domain, v, d.from, false) + EPS }).toEqual({ order: d.orderId, variable: v, delta, within: true });
  }
}

type Corruption = 'delete' | 'null' | 'number' | 'string' | 'array' | 'object';

/** The Bundle with one property somewhere inside it removed or replaced by a value of the wrong type. */
function corrupt(bundle: Bundle, target: number, op: Corruption): Bundle {
  const copy = structuredClone(bundle) as unknown as Record<string, unknown>;
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        slots.push([node, i]);
        walk(v);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        slots.push([node as Record<string, unknown>, k]);
        walk(v);
      }
    }
  };
  walk(copy);
  const [parent, key] = slots[target % slots.length] ?? [copy, 'type'];
  const replacement = { null: null, number: 42, string: 'x', array: [], object: {} };
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (Array.isArray(parent)) parent[Number(key)] = replacement[op];
  else parent[key] = replacement[op];
  return copy as unknown as Bundle;
}

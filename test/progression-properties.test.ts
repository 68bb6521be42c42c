/**
 * Properties of progress() over generated 2-12 week histories in every phase and mode (fast-check):
 * it never throws on well-formed input, never mutates it, is deterministic, moves a dose at most one
 * increment (CLINICAL-RULES.md, Increments) on progress/regress, and a same-day re-run settles at once.
 *
 * The runs are reproducible: fast-check's seed is FC_SEED from the environment, else a fixed constant,
 * so CI sees the same cases every time. To explore other cases, run with another seed, e.g.
 *   FC_SEED=$RANDOM npx jest test/progression-properties
 * (FC_RUNS=<n> multiplies the number of runs). A failure prints its seed and path; replay it with
 * FC_SEED=<seed> and, in the failing property, fc.assert(..., { path: '<path>' }).
 */
import fc from 'fast-check';
import type { Bundle, ServiceRequest } from 'fhir/r4';
import { DOMAINS, PHASES } from '../src/fhir/codes';
import { OperationOutcomeError } from '../src/fhir/outcome';
import { progress, type OrderDecision } from '../src/progression/progress';
import type { Domain, Dose } from '../src/progression/types';
import { readDose } from './support/dose-ext';
import { applyTransaction } from './support/fhir-apply';
import { generateHistory, type GenerateOptions } from './support/generate';
import { byId, parts, unversioned } from './support/inspect';
import { validationErrors } from './support/validity';

const NOWS = ['2026-11-27T09:00:00+01:00', '2026-03-29T23:30:00+02:00', '2026-06-01T06:15:00-07:00', '2026-01-01T12:00:00Z'];

const optionsArb: fc.Arbitrary<GenerateOptions> = fc.record({
  seed: fc.integer({ min: 1, max: 2_147_483_646 }),
  now: fc.constantFrom(...NOWS),
  weeks: fc.integer({ min: 2, max: 12 }),
  phase: fc.oneof({ arbitrary: fc.constant('build' as const), weight: 4 }, { arbitrary: fc.constantFrom(...PHASES), weight: 6 }),
  domains: fc.subarray([...DOMAINS], { minLength: 1 }),
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

  it('moves a dose at most one increment on progress and regress', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const bundle = generateHistory(o);
        for (const d of run(bundle).orders) {
          if (d.decision === 'progress') expectOneStepUp(d);
          if (d.decision === 'regress') expectOneStepDown(d, chainDoses(bundle, d.orderId));
        }
      }),
      RUNS,
    );
  });

  it('writes transactions whose resources validate against the Gradus profiles', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        expect(validationErrors(run(generateHistory(o)).transaction)).toEqual([]);
      }),
      runs(100),
    );
  });

  it('settles on a same-day re-run: no order or plan change, and then nothing new to write', () => {
    fc.assert(
      fc.property(optionsArb.map(settlingCase), (o) => {
        const s0 = generateHistory(o);
        const t1 = run(s0).transaction;
        const s1 = { ...applyTransaction(s0, t1).bundle, timestamp: s0.timestamp };
        const t2 = run(s1).transaction;
        const p2 = parts(t2);
        expect(p2.puts).toHaveLength(0);
        expect(p2.posts.filter((e) => e.resource?.resourceType !== 'Provenance')).toHaveLength(0);
        for (const e of p2.provenances) expect(e.request?.ifNoneExist).toMatch(/^_tag=/);
        const a2 = applyTransaction(s1, t2);
        const wroteSomething = parts(t1).puts.length > 0 || parts(t1).postedOrders.length > 0;
        if (!wroteSomething) expect(a2.outcomes.some((x) => x.changed)).toBe(false);
        const s2 = { ...a2.bundle, timestamp: s0.timestamp };
        expect(applyTransaction(s2, run(s2).transaction).outcomes.some((x) => x.changed)).toBe(false);
      }),
      { ...runs(100), examples: [[BASELINE_SAME_DOSE]] },
    );
  });
});

/** Baseline established at the placeholder dose (no new order), then build: the re-run progressed on baseline-phase sessions. */
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

/**
 * Histories where the spec itself promises a quiet same-day re-run: one order per domain (so alternating
 * focus cannot hand the turn to another order), return-to-load only with orders a flare reduces, a flare
 * with at least one of them, high fatigue only in build (else a fatigue deload may follow a same-day
 * resume, return or baseline completion).
 */
function settlingCase(o: GenerateOptions): GenerateOptions {
  const reduced = (o.domains ?? []).filter((d) => d === 'strength' || d === 'endurance');
  let domains = o.domains;
  if (o.phase === 'return-to-load') domains = reduced.length > 0 ? reduced : ['strength'];
  if (o.phase === 'flare' && reduced.length === 0) domains = [...(o.domains ?? []), 'endurance'];
  return { ...o, domains, fatigueHigh: o.fatigueHigh === true && o.phase === 'build' };
}

const EPS = 1e-9;
type Variable = 'load' | 'reps' | 'sets' | 'duration';
const value = (d: Dose, v: Variable): number | undefined => (v === 'duration' ? d.duration?.value : d[v]);

function changed(d: OrderDecision): Variable[] {
  return (['load', 'reps', 'sets', 'duration'] as const).filter((v) => value(d.from, v) !== value(d.to, v));
}

/** The largest single step of a variable (CLINICAL-RULES.md Increments, with half a rounding unit of slack). */
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

const core = (d: Dose): string => JSON.stringify((['load', 'reps', 'sets', 'duration'] as const).map((v) => value(d, v) ?? null));

function expectOneStepDown(d: OrderDecision, chain: Dose[]): void {
  for (const v of ['load', 'reps', 'sets', 'duration'] as const) {
    expect(value(d.to, v) ?? 0).toBeLessThanOrEqual(value(d.from, v) ?? 0);
  }
  if (d.from.step !== undefined) expect(d.to.step).toBe(Math.max(1, d.from.step - 1));
  if (chain.some((c) => core(c) === core(d.to))) return;
  const moved = changed(d);
  expect({ order: d.orderId, moved: moved.length }).toEqual({ order: d.orderId, moved: 1 });
  const v = moved[0] as Variable;
  const delta = (value(d.from, v) ?? 0) - (value(d.to, v) ?? 0);
  expect(delta).toBeGreaterThan(0);
  expect(delta).toBeLessThanOrEqual(maxStep(d.domain, v, d.from, false) + EPS);
}

/** The doses of the orders an order replaces, transitively (its replaces chain, without itself). */
function chainDoses(bundle: Bundle, orderId: string): Dose[] {
  const out: Dose[] = [];
  const seen = new Set<string>([orderId]);
  let current = byId<ServiceRequest>(bundle, 'ServiceRequest', orderId);
  for (;;) {
    const prev = unversioned(current.replaces?.[0]?.reference).replace(/^ServiceRequest\//, '');
    if (prev === '' || seen.has(prev)) return out;
    seen.add(prev);
    current = byId<ServiceRequest>(bundle, 'ServiceRequest', prev);
    out.push(readDose(current));
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

/**
 * Seeded generator of realistic 12-week patient histories (~150 Observations) for property tests and
 * the benchmark: one order chain per entry of `domains` (a domain listed twice gets two chains, each its own
 * exercise), progressed every two weeks, daily check-ins, sessions near the prescription, and the plan in
 * any phase with the orders that phase implies. Same parameters, same Bundle.
 */
import type { Bundle } from 'fhir/r4';
import type { Domain, Dose, Phase } from '../../src/progression/types';
import { history, type HistoryBuilder } from './builder';

/** mulberry32: a small, fast, seedable PRNG (deterministic across platforms). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type PainPattern = 'stable' | 'rising' | 'spike' | 'flare' | 'settling';
export type SessionPain = 'low' | 'mixed' | 'high';

export interface GenerateOptions {
  seed: number;
  now?: string;
  /** Weeks of history (default 12). */
  weeks?: number;
  phase?: Phase;
  /** One order chain per entry (default: strength, endurance, mobility); a repeated domain gets several chains. */
  domains?: Domain[];
  mode?: 'pain-guided' | 'quota-based';
  /** Usual daily pain, 0-6 (default 2). */
  painLevel?: number;
  painPattern?: PainPattern;
  sessionPain?: SessionPain;
  /** Fatigue >= 7 on most of the last days. */
  fatigueHigh?: boolean;
  /** A true red-flag alert in the last 14 days. */
  alert?: boolean;
  /** Share of days with a check-in (default 0.9). */
  checkInRate?: number;
  /** Share of prescribed sessions done (default 0.75). */
  adherence?: number;
  /** Some daily pain as stand-alone LOINC 72514-3 Observations with valueQuantity `{score}`. */
  quantityPain?: boolean;
  /** Record a resting heart rate and give endurance orders a heart-rate zone. */
  heartRate?: boolean;
  /**
   * In phase build, what the chains went through before their current order (default none): a deload week
   * and the resume to the pre-deload doses, or a flare (-50%), the return at 75% and weekly +10% steps back
   * to the pre-flare doses. Phase-since is then the day the plan came back to build. So a regress meets
   * replaces chains whose most recent lower dose is a deload or a return step.
   */
  past?: 'none' | 'deload' | 'flare';
}

/** Exercises per domain: the first chain of a domain uses the first, a second chain the next, ... */
const EXERCISES: Record<Domain, readonly string[]> = {
  strength: ['step-up', 'sit-to-stand', 'glute-bridge', 'band-row'],
  endurance: ['walking', 'stationary-cycling', 'nordic-walking', 'aquatic-walking'],
  mobility: ['hamstring-stretch', 'cat-camel', 'hip-flexor-stretch', 'thoracic-rotation'],
  neuromotor: ['single-leg-stance', 'tandem-walk', 'bird-dog'],
};

const START_DOSE: Record<Domain, Dose> = {
  strength: { sets: 3, reps: 10, load: 8, step: 1 },
  endurance: { duration: { value: 20, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 1 },
  mobility: { sets: 3, duration: { value: 20, unit: 's' }, step: 1 },
  neuromotor: { sets: 2, reps: 8, step: 1 },
};

const roundTo = (v: number, unit: number): number => Math.max(unit, Math.round(v / unit) * unit);

/** A plausible next dose up the ladder (the generator's own, simple arithmetic). */
function stepUp(domain: Domain, d: Dose): Dose {
  const step = (d.step ?? 1) + 1;
  if (domain === 'strength') return { ...d, load: roundTo((d.load ?? 8) * 1.05 + 0.25, 0.5), step };
  if (domain === 'endurance') return { ...d, duration: { value: (d.duration?.value ?? 20) + 2, unit: 'min' }, step };
  if (domain === 'mobility') return { ...d, duration: { value: (d.duration?.value ?? 20) + 5, unit: 's' }, step };
  return { ...d, reps: (d.reps ?? 8) + 1, step };
}

/** Scales the domain's main variable (load, duration, hold time or reps) by `f`. */
function scaled(domain: Domain, d: Dose, f: number): Dose {
  if (domain === 'strength') return { ...d, load: roundTo((d.load ?? 8) * f, 0.5) };
  if (domain === 'endurance') return { ...d, duration: { value: roundTo((d.duration?.value ?? 20) * f, 1), unit: 'min' } };
  if (domain === 'mobility') return { ...d, duration: { value: roundTo((d.duration?.value ?? 20) * f, 5), unit: 's' } };
  return { ...d, reps: roundTo((d.reps ?? 8) * f, 1) };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(v)));

interface Chain {
  domain: Domain;
  exercise: string;
  /** Orders oldest first: id, dose, authored day. */
  orders: { id: string; dose: Dose; day: number }[];
}

/** A deterministic history for `options` (every unspecified option drawn from the seed). */
export function generateHistory(options: GenerateOptions): Bundle {
  const r = rng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const weeks = options.weeks ?? 12;
  const span = weeks * 7;
  const phase = options.phase ?? 'build';
  const domains = options.domains ?? ['strength', 'endurance', 'mobility'];
  const base = options.painLevel ?? 2;
  const pattern = options.painPattern ?? 'stable';
  const adherence = options.adherence ?? 0.75;
  const phaseSince = phase === 'baseline' ? Math.floor(r() * 10) + 3 : Math.floor(r() * 12);
  const flareSince = phase === 'return-to-load' ? phaseSince + 3 + Math.floor(r() * 6) : phaseSince;
  const planStart = phase === 'baseline' ? phaseSince : span;
  const past = phase === 'build' ? pastEpisode(options.past ?? 'none', phaseSince, planStart) : undefined;

  const h = history({
    now: options.now ?? '2026-11-27T09:00:00+01:00',
    planStart,
    phase,
    phaseSince,
    referencePain: phase === 'flare' || phase === 'return-to-load' ? base : undefined,
    flareSince: phase === 'flare' || phase === 'return-to-load' ? flareSince : undefined,
    policy: options.mode === 'quota-based' ? { mode: 'quota-based' } : undefined,
    patient: { id: `gen-${options.seed}`, given: 'Sam', family: `Generated ${options.seed}`, birthDate: `19${50 + (options.seed % 40)}-06-15` },
    planId: `gen-plan-${options.seed}`,
    restingHeartRate: options.heartRate === true ? { value: 55 + Math.floor(r() * 20), day: planStart } : undefined,
  });

  const chains = domains.map((domain, i) => {
    const nth = domains.slice(0, i).filter((d) => d === domain).length;
    return buildChain(domain, i, { phase, planStart, phaseSince, flareSince, heartRate: options.heartRate, r, nth, past });
  });
  for (const c of chains) {
    c.orders.forEach((o, k) =>
      h.order({ id: o.id, exercise: c.exercise, domain: c.domain, dose: o.dose, authoredOn: o.day, replaces: k > 0 ? c.orders[k - 1]?.id : undefined, status: orderStatus(phase, k, c.orders.length) }),
    );
  }

  const pain = (day: number): number => {
    const noise = r() < 0.3 ? pick([-1, 1]) : 0;
    let p = base + noise;
    if (pattern === 'rising') p = base + (day <= 6 ? 2 : day <= 13 ? 1 : 0);
    if (pattern === 'spike' && day <= 2) p = base + 3;
    if (pattern === 'flare' && day <= Math.max(phaseSince, 2)) p = base + 2 + (r() < 0.5 ? 1 : 0);
    if (pattern === 'settling') p = day <= 1 ? base : day <= phaseSince ? base + 2 : base + noise;
    return clamp(p, 0, 10);
  };
  const checkInRate = options.checkInRate ?? 0.9;
  for (let day = span; day >= 0; day -= 1) {
    if (r() >= checkInRate) continue;
    if (options.quantityPain === true && r() < 0.2) h.painScore(day, pain(day), { asQuantity: true, time: '07:00' });
    else h.checkIn(day, { pain: pain(day), fatigue: options.fatigueHigh === true && day <= 6 ? 7 + Math.floor(r() * 3) : clamp(3 + r() * 2, 0, 10), stiffness: clamp(base + r() * 2, 0, 10) });
  }

  for (const c of chains) addSessions(h, c, { r, adherence, sessionPain: options.sessionPain ?? 'low', phase });
  if (phase === 'baseline') {
    for (const c of chains) {
      const current = c.orders[c.orders.length - 1];
      const tests = Math.floor(r() * 5);
      for (let k = 0; k < tests && current; k += 1) {
        const day = Math.max(0, current.day - 1 - k);
        const unit = c.domain === 'endurance' ? 'min' : c.domain === 'mobility' ? 's' : '{repetitions}';
        h.toleranceTest(current.id, day, unit === 'min' ? 15 + Math.floor(r() * 15) : unit === 's' ? 20 + 5 * Math.floor(r() * 6) : 6 + Math.floor(r() * 10), unit);
      }
    }
  }
  if (options.alert === true) h.alert(Math.floor(r() * 14), pick(['chest-pain', 'syncope-or-dizziness', 'fever']));
  if (r() < 0.3) h.alert(Math.floor(r() * span), 'fever', false);
  return h.build();
}

function orderStatus(phase: Phase, index: number, count: number): 'active' | 'on-hold' | 'completed' {
  if (index < count - 1) return 'completed';
  return phase === 'referred' ? 'on-hold' : 'active';
}

/** A past deload or flare in a build history: the days its orders were authored (all before or on phase-since). */
interface PastEpisode {
  kind: 'deload' | 'flare';
  /** Day of the reduced order (the deload or flare start). */
  start: number;
  /** Days of the later orders up to the return to build, oldest first: the resume, or the return and its steps. */
  steps: number[];
}

/** Return steps after a flare, as fractions of the pre-flare dose (75%, then +10% a week, capped at 100%). */
const RETURN_STEPS = [0.75, 0.85, 0.95, 1] as const;

/** The past episode ending on day `backInBuild`, when it fits after the plan start; else none. */
function pastEpisode(kind: 'none' | 'deload' | 'flare', backInBuild: number, planStart: number): PastEpisode | undefined {
  if (kind === 'none') return undefined;
  const steps = kind === 'deload' ? [backInBuild] : RETURN_STEPS.map((_, k) => backInBuild + 7 * (RETURN_STEPS.length - 1 - k));
  const start = kind === 'deload' ? backInBuild + 7 : (steps[0] ?? backInBuild) + 3;
  return start + 10 < planStart ? { kind, start, steps } : undefined;
}

interface ChainContext {
  phase: Phase;
  planStart: number;
  phaseSince: number;
  flareSince: number;
  heartRate?: boolean;
  r: () => number;
  /** How many chains of this domain come before this one (0: the first; its ids stay `gen-<domain>-<k>`). */
  nth: number;
  past?: PastEpisode;
}

function buildChain(domain: Domain, index: number, ctx: ChainContext): Chain {
  const list = EXERCISES[domain];
  const exercise = list[ctx.nth % list.length] ?? 'walking';
  const tag = ctx.nth === 0 ? domain : `${domain}${ctx.nth + 1}`;
  const id = (k: number): string => `gen-${tag}-${k}`;
  let dose: Dose = { ...START_DOSE[domain] };
  if (domain === 'endurance' && ctx.heartRate === true) dose.heartRateZone = { low: 100, high: 125 };
  if (ctx.phase === 'baseline') return { domain, exercise, orders: [{ id: id(1), dose, day: ctx.planStart }] };
  const orders: Chain['orders'] = [];
  const reduces = domain === 'strength' || domain === 'endurance';
  const regularUntil = ctx.phase === 'build' || ctx.phase === 'referred' ? 0 : Math.max(ctx.phaseSince, ctx.flareSince) + 1;
  const lastRegular = ctx.past ? ctx.past.start + 1 : regularUntil;
  let day = ctx.planStart - index;
  let k = 1;
  while (day > lastRegular) {
    orders.push({ id: id(k), dose, day });
    k += 1;
    day -= 10 + Math.floor(ctx.r() * 9);
    dose = stepUp(domain, dose);
  }
  // A short history whose flare began before any regular change still needs one order for a domain the flare leaves as it is.
  if (orders.length === 0 && !reduces && (ctx.phase === 'flare' || ctx.phase === 'return-to-load')) orders.push({ id: id(k), dose, day: ctx.planStart - index });
  const preFlare = orders[orders.length - 1]?.dose ?? dose;
  if (ctx.past) pastOrders(domain, preFlare, ctx.past, (d, day) => orders.push({ id: id(orders.length + 1), dose: d, day }));
  if (ctx.phase === 'deload') orders.push({ id: id(k), dose: deloaded(domain, preFlare), day: ctx.phaseSince });
  if ((ctx.phase === 'flare' || ctx.phase === 'return-to-load') && reduces) {
    const light: Dose = domain === 'endurance' ? { ...scaled(domain, preFlare, 0.5), rpeTarget: { low: 2, high: 3 } } : scaled(domain, preFlare, 0.5);
    delete light.heartRateZone;
    orders.push({ id: id(k), dose: light, day: ctx.flareSince });
    if (ctx.phase === 'return-to-load') {
      orders.push({ id: id(k + 1), dose: scaled(domain, preFlare, 0.75), day: ctx.phaseSince });
    }
  }
  return { domain, exercise, orders };
}

/** The orders of a past deload (and resume) or flare (and return steps); a flare leaves mobility and neuromotor as they are. */
function pastOrders(domain: Domain, before: Dose, past: PastEpisode, push: (dose: Dose, day: number) => void): void {
  if (past.kind === 'deload') {
    push(deloaded(domain, before), past.start);
    for (const day of past.steps) push({ ...before }, day);
    return;
  }
  if (domain !== 'strength' && domain !== 'endurance') return;
  const light: Dose = domain === 'endurance' ? { ...scaled(domain, before, 0.5), rpeTarget: { low: 2, high: 3 } } : scaled(domain, before, 0.5);
  delete light.heartRateZone;
  push(light, past.start);
  past.steps.forEach((day, k) => push(scaled(domain, before, RETURN_STEPS[k] ?? 1), day));
}

/** Rule 5's deload: strength sets -40% (reps when 1 set); the others their main variable -40%. */
function deloaded(domain: Domain, before: Dose): Dose {
  const bySets = domain === 'strength' && (before.sets ?? 1) > 1;
  return bySets ? { ...before, sets: roundTo((before.sets ?? 3) * 0.6, 1) } : scaled(domain, before, 0.6);
}

function addSessions(h: HistoryBuilder, c: Chain, o: { r: () => number; adherence: number; sessionPain: SessionPain; phase: Phase }): void {
  c.orders.forEach((order, k) => {
    const until = k + 1 < c.orders.length ? (c.orders[k + 1]?.day ?? 0) + 1 : 0;
    for (let day = order.day - 1; day >= until; day -= 1) {
      if (o.r() >= (3 / 7) * o.adherence) continue;
      const high = o.sessionPain === 'high' || (o.sessionPain === 'mixed' && o.r() < 0.15);
      const d = order.dose;
      h.session(order.id, day, {
        painDuring: high ? 6 + Math.floor(o.r() * 3) : Math.floor(o.r() * 4),
        painAfter: high ? 5 + Math.floor(o.r() * 3) : Math.floor(o.r() * 4),
        rpe: d.rpeTarget ? d.rpeTarget.low + Math.floor(o.r() * (d.rpeTarget.high - d.rpeTarget.low + 2)) : undefined,
        sets: d.sets,
        reps: d.reps === undefined ? undefined : d.reps + Math.floor(o.r() * 4) - 1,
        load: d.load,
        duration: d.duration?.unit === 'min' ? d.duration.value + Math.floor(o.r() * 4) - 1 : undefined,
        heartRate: d.heartRateZone ? 95 + Math.floor(o.r() * 35) : undefined,
        asPeriod: o.r() < 0.1 ? 30 : undefined,
      });
    }
  });
}

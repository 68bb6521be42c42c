/**
 * Plan rules 2 and 3: entering a flare (daily pain >= B + 2 on 2 consecutive days) and what happens
 * during one (refer after 7 days, return to load once pain settles to <= B + 1 on 2 consecutive days).
 * See: docs/clinical-rules.md "Plan-level rules" 2-3 (Costa 2019; Lambeek 2007);
 * implementation-guide.md "Extensions to the contract" (the flare ends on the latest evidence).
 */
import { describeBaseline } from './baseline-pain';
import { describeDose, formatNumber, sameDose } from '../dose';
import type { DailyValue, Evidence, OrderFacts } from '../read';
import { flareDose, returnDose } from '../dose';
import { karvonenZone } from '../dose';
import { decide, days, EPSILON, NO_BASELINE, refs, sentence, type RuleContext } from './order-context';
import { preFlareDose } from './return-to-load';
import type { Evaluation, OrderEvaluation, Range } from '../types';

/** The fraction of the pre-flare dose a return to load restarts at. */
export const RETURN_FRACTION = 0.75;
/** A flare lasting longer than this many days is referred. */
export const FLARE_REFER_DAYS = 7;

/** The most recent 2 consecutive days (older first) whose daily pain passes `test`. */
function latestPair(pain: readonly DailyValue[], test: (v: DailyValue) => boolean): [DailyValue, DailyValue] | undefined {
  for (let i = pain.length - 1; i >= 1; i--) {
    const newer = pain[i];
    const older = pain[i - 1];
    if (newer && older && older.day === newer.day + 1 && test(older) && test(newer)) return [older, newer];
  }
  return undefined;
}

/** "6/10 on 2026-11-19 and 7/10 on 2026-11-20". */
function pairText([a, b]: [DailyValue, DailyValue]): string {
  return `${formatNumber(a.value)}/10 on ${a.date} and ${formatNumber(b.value)}/10 on ${b.date}`;
}

/**
 * Rule 3's return pair: the two most recent days with daily pain on or after the phase start, when they are
 * consecutive days and both <= B + 1 (older first); else undefined. Only the latest evidence ends a flare: an
 * older pair of settled days followed by days at >= B + 2, or by a gap, does not.
 */
function settledPair(evidence: Pick<Evidence, 'dailyPain' | 'phaseStartDay'>, B: number): [DailyValue, DailyValue] | undefined {
  const start = evidence.phaseStartDay;
  const since = evidence.dailyPain.filter((v) => start === undefined || v.day <= start);
  const older = since.at(-2);
  const newer = since.at(-1);
  if (!older || !newer || older.day !== newer.day + 1) return undefined;
  const settled = (v: DailyValue): boolean => v.value <= B + 1 + EPSILON;
  return settled(older) && settled(newer) ? [older, newer] : undefined;
}

/** Daily pain >= B + 2 on 2 consecutive days in the last 7 days, on or after the phase start. */
function flarePair(evidence: Evidence, B: number): [DailyValue, DailyValue] | undefined {
  const start = evidence.phaseStartDay;
  return latestPair(
    evidence.dailyPain,
    (v) => v.day >= 0 && v.day <= 6 && (start === undefined || v.day <= start) && v.value >= B + 2 - EPSILON,
  );
}

/** The Karvonen light zone, when the order has a heart-rate zone and age and a resting heart rate are on record. */
function lightZoneFor(order: OrderFacts, evidence: Evidence): Range | undefined {
  const age = evidence.patient.age;
  const rest = evidence.restingHeartRate?.value;
  if (!order.dose.heartRateZone || age === undefined || rest === undefined) return undefined;
  try {
    return karvonenZone({ age, restingHeartRate: rest, zone: 'light' });
  } catch {
    return undefined;
  }
}

/** Rule 2: enter the flare protocol; undefined when it does not fire. */
export function flareRule(ctx: RuleContext): Evaluation | undefined {
  const { evidence, baseline } = ctx;
  if (evidence.phase === 'flare' || evidence.phase === 'referred' || baseline.value === undefined) return undefined;
  const B = baseline.value;
  const pair = flarePair(evidence, B);
  if (!pair) return undefined;
  const trigger = `daily pain ${pairText(pair)} >= B + 2 = ${formatNumber(B + 2)}; ${describeBaseline(baseline)}`;
  const orders = evidence.orders.map((order): OrderEvaluation => {
    const zone = lightZoneFor(order, evidence);
    const change = flareDose(order.dose, order.domain, zone ? { lightZone: zone } : {});
    const evidenceRefs = refs([...pair, zone ? evidence.restingHeartRate : undefined]);
    if (change.changes.length === 0 || sameDose(change.dose, order.dose)) {
      return decide(order, 'flare-protocol', sentence('Flare protocol', [trigger, `${order.domain} dose unchanged (${describeDose(order.dose)})`]), evidenceRefs);
    }
    return { ...decide(order, 'flare-protocol', sentence('Flare protocol', [trigger, ...change.changes]), evidenceRefs), newDose: change.dose };
  });
  return {
    plan: {
      phaseFrom: evidence.phase,
      phaseTo: 'flare',
      decision: 'flare-protocol',
      rationale: sentence('Flare', [trigger, `reference pain ${formatNumber(B)} kept until the return to build`]),
      referencePain: Number(B.toFixed(2)),
      flareSince: evidence.now,
    },
    orders,
  };
}

/**
 * Rule 3 (phase flare): refer, return to load, or hold. A flare that reduced no order (only mobility and
 * neuromotor orders) goes straight to build on its return, as rule 4 would on the next run: every order is
 * already at its pre-flare dose. See: implementation-guide.md "Extensions to the contract".
 */
export function duringFlareRule(ctx: RuleContext): Evaluation | undefined {
  const { evidence, baseline } = ctx;
  if (evidence.phase !== 'flare') return undefined;
  const keep = (decision: 'hold', reasons: string[], used: string[]): Evaluation => ({
    plan: { phaseFrom: 'flare', phaseTo: 'flare', decision, rationale: sentence('Held', reasons) },
    orders: evidence.orders.map((o) => decide(o, 'hold', sentence('Held', reasons), used)),
  });
  if (baseline.value === undefined) return keep('hold', [NO_BASELINE], []);
  const B = baseline.value;
  const { calendar } = evidence;
  const flareStart = evidence.flareSince ?? evidence.phaseStart;
  const flareDays = flareStart !== undefined ? calendar.day(flareStart) : undefined;
  const today = evidence.dailyPain.find((p) => p.day === 0);

  if (today && today.value >= B + 2 - EPSILON && flareDays !== undefined && flareDays > FLARE_REFER_DAYS) {
    const why = `flare since ${flareStart?.slice(0, 10) ?? ''} (${days(flareDays)}, more than ${FLARE_REFER_DAYS}) and daily pain today ${formatNumber(today.value)}/10 still >= B + 2 = ${formatNumber(B + 2)}`;
    return {
      plan: { phaseFrom: 'flare', phaseTo: 'referred', decision: 'refer', rationale: sentence('Referred', [why]) },
      orders: evidence.orders.map((o) => ({ ...decide(o, 'refer', sentence('Referred', [why, 'order put on hold']), refs([today])), newStatus: 'on-hold' })),
    };
  }

  const settled = settledPair(evidence, B);
  if (settled) {
    const why = `daily pain ${pairText(settled)} <= B + 1 = ${formatNumber(B + 1)}; ${describeBaseline(baseline)}`;
    const orders = evidence.orders.map((order) => returnOrder(order, why, flareStart, refs(settled)));
    if (orders.every((o) => o.newDose === undefined)) {
      return {
        plan: {
          phaseFrom: 'flare',
          phaseTo: 'build',
          decision: 'return-to-load',
          rationale: sentence('Return to load complete', [why, 'the flare reduced no order, so every order is already at its pre-flare dose']),
          referencePain: null,
          flareSince: null,
        },
        orders,
      };
    }
    return {
      plan: {
        phaseFrom: 'flare',
        phaseTo: 'return-to-load',
        decision: 'return-to-load',
        rationale: sentence('Return to load', [why, `reduced orders restart at ${RETURN_FRACTION * 100}% of their pre-flare dose`]),
        ...(evidence.referencePain === undefined ? { referencePain: Number(B.toFixed(2)) } : {}),
        ...(evidence.flareSince === undefined && flareStart !== undefined ? { flareSince: flareStart } : {}),
      },
      orders,
    };
  }
  const status = today ? `daily pain today ${formatNumber(today.value)}/10` : 'no daily pain today';
  const since = flareStart !== undefined && flareDays !== undefined ? `flare since ${flareStart.slice(0, 10)} (${days(flareDays)})` : 'flare ongoing';
  return keep('hold', [since, `${status}; waiting for the 2 most recent days of daily pain to be consecutive and <= B + 1 = ${formatNumber(B + 1)}`], refs([today]));
}

/** One order on the return to load: 75% of its pre-flare dose, or unchanged when the flare left it so. */
function returnOrder(order: OrderFacts, why: string, flareStart: string | undefined, used: string[]): OrderEvaluation {
  const preFlare = flareStart !== undefined ? preFlareDose(order, flareStart) : undefined;
  if (!preFlare || sameDose(preFlare.dose, order.dose)) {
    return decide(order, 'return-to-load', sentence('Return to load', [why, `the flare left this order unchanged (${describeDose(order.dose)})`]), used);
  }
  const change = returnDose(preFlare.dose, order.domain, RETURN_FRACTION);
  const restored = `pre-flare dose ${describeDose(preFlare.dose)} from ${preFlare.authoredOn.slice(0, 10)}`;
  const changes = change.changes.length > 0 ? change.changes : [`back to the ${restored}`];
  return {
    ...decide(order, 'return-to-load', sentence('Return to load', [why, ...changes, `${restored}, its intensity restored`]), used),
    newDose: change.dose,
  };
}

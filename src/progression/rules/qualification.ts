/**
 * Whether a session qualifies for progression: pain within the ceiling during and after, settled by the
 * next morning, and the prescription done. A component the session does not record is not held against it.
 * See: docs/clinical-rules.md "Order-level rules in phase build" (Silbernagel 2007; Thomee 1997).
 */
import { formatNumber, formatRange } from '../dose';
import type { OrderFacts, Session } from '../read';
import { EPSILON } from './order-context';
import type { Policy } from '../types';

export interface Qualification {
  qualifies: boolean;
  /** Why it does not qualify, one phrase per failed condition ("pain during 6/10 > ceiling 5"). */
  reasons: string[];
  /** Facts worth saying that did not count against it ("next-morning pain not recorded"). */
  notes: string[];
}

export interface QualifyOptions {
  order: Pick<OrderFacts, 'dose' | 'intensityBy'>;
  /** Baseline pain; undefined when unknown (the next-morning check is then skipped and noted). */
  baseline: number | undefined;
  policy: Pick<Policy, 'painCeiling'>;
}

/** Share of the prescribed duration a session must reach. */
export const DURATION_SHARE = 0.9;

/** Checks one session against every listed condition and collects all reasons. */
export function qualify(session: Session, { order, baseline, policy }: QualifyOptions): Qualification {
  const reasons: string[] = [];
  const notes: string[] = [];
  const { dose } = order;
  const ceiling = policy.painCeiling;

  if (session.painDuring === undefined) reasons.push('no pain-during recorded');
  else if (session.painDuring > ceiling + EPSILON) reasons.push(`pain during ${formatNumber(session.painDuring)}/10 > ceiling ${ceiling}`);
  if (session.painAfter !== undefined && session.painAfter > ceiling + EPSILON) {
    reasons.push(`pain after ${formatNumber(session.painAfter)}/10 > ceiling ${ceiling}`);
  }

  const m = session.nextMorningPain;
  if (m === undefined) notes.push(`next-morning pain after ${session.date} not recorded`);
  else if (baseline === undefined) notes.push('next-morning pain not compared (B unknown)');
  else if (m.value > baseline + 1 + EPSILON) {
    reasons.push(`next-morning pain ${formatNumber(m.value)}/10 on ${m.date} > B + 1 = ${formatNumber(baseline + 1)}`);
  }

  if (session.rpe !== undefined && dose.rpeTarget) {
    const { low, high } = dose.rpeTarget;
    if (session.rpe < low - EPSILON || session.rpe > high + EPSILON) {
      reasons.push(`RPE ${formatNumber(session.rpe)} outside target ${formatRange(dose.rpeTarget)}`);
    }
  }
  const atLeast = (recorded: number | undefined, prescribed: number | undefined, what: string, unit = ''): void => {
    if (recorded !== undefined && prescribed !== undefined && recorded < prescribed - EPSILON) {
      reasons.push(`${what} ${formatNumber(recorded)}${unit} < ${formatNumber(prescribed)}${unit} prescribed`);
    }
  };
  atLeast(session.setsCompleted, dose.sets, 'sets completed');
  atLeast(session.repsFinalSet, dose.reps, 'reps in final set');
  atLeast(session.loadLifted, dose.load, 'load', ' kg');

  if (session.duration && dose.duration && session.duration.unit === dose.duration.unit) {
    const needed = DURATION_SHARE * dose.duration.value;
    if (session.duration.value < needed - EPSILON) {
      const unit = ` ${dose.duration.unit}`;
      reasons.push(`duration ${formatNumber(session.duration.value)}${unit} < 90% of ${formatNumber(dose.duration.value)}${unit}`);
    }
  }
  if (order.intensityBy === 'heart-rate' && session.heartRate !== undefined && dose.heartRateZone) {
    if (session.heartRate > dose.heartRateZone.high + EPSILON) {
      reasons.push(`mean heart rate ${formatNumber(session.heartRate)}/min > zone top ${formatNumber(dose.heartRateZone.high)}/min`);
    }
  }
  return { qualifies: reasons.length === 0, reasons, notes };
}

/**
 * Plan rules 5 and 6: a deload week every `deloadEveryWeeks` program weeks (or when fatigue >= 7 on 3 of
 * the last 7 days), and the resume to the pre-deload doses 7 days later.
 * See: docs/clinical-rules.md "Plan-level rules" 5-6 (Bell 2022/2023; Larun 2019).
 */
import { compareDateTimes, programWeekStart } from '../read';
import { copyDose, describeDose, formatNumber, sameDose } from '../dose';
import type { DailyValue, Evidence, OrderFacts } from '../read';
import { deloadDose } from '../dose';
import { days, decide, refs, sentence, type RuleContext } from './order-context';
import type { Evaluation, OrderEvaluation } from '../types';

export const FATIGUE_HIGH = 7;
export const FATIGUE_DAYS = 3;
export const DELOAD_DAYS = 7;

/**
 * Days 0-6 with fatigue >= 7 (earliest check-in value of each day), counting only days on or after the
 * phase start, as rule 2 does for flares: fatigue from before a resume, a return to build or the end of the
 * baseline does not deload the new phase at once (a same-day re-run stays quiet).
 * See: implementation-guide.md "Extensions to the contract" (fatigue days since the phase start).
 */
function highFatigueDays(evidence: Pick<Evidence, 'checkIns' | 'phaseStartDay'>): DailyValue[] {
  const start = evidence.phaseStartDay;
  return evidence.checkIns.flatMap((log) => {
    const f = log.values.fatigue;
    const inWindow = log.day >= 0 && log.day <= 6 && (start === undefined || log.day <= start);
    return f && inWindow && f.value >= FATIGUE_HIGH ? [f] : [];
  });
}

/** Why a deload is due now, with the Observations used; undefined when it is not. */
function deloadTrigger(evidence: Evidence): { why: string; used: string[] } | undefined {
  const every = evidence.policy.deloadEveryWeeks;
  const week = evidence.programWeek;
  if (week % every === 0) {
    const weekStart = programWeekStart(evidence.programStart, week);
    const startedBefore = evidence.phaseStart === undefined || compareDateTimes(evidence.phaseStart, weekStart) < 0;
    if (startedBefore) {
      const since = evidence.phaseStart !== undefined ? `; build since ${evidence.phaseStart.slice(0, 10)}` : '';
      return { why: `program week ${week} is a multiple of ${every} (week began ${weekStart}${since})`, used: [] };
    }
  }
  const tired = highFatigueDays(evidence);
  if (tired.length >= FATIGUE_DAYS) {
    const list = tired.map((f) => `${formatNumber(f.value)} on ${f.date}`).join(', ');
    return { why: `fatigue >= ${FATIGUE_HIGH} on ${tired.length} of the last 7 days (${list})`, used: refs(tired) };
  }
  return undefined;
}

/** Rule 5 (phase build). */
export function deloadRule({ evidence }: RuleContext): Evaluation | undefined {
  if (evidence.phase !== 'build') return undefined;
  const trigger = deloadTrigger(evidence);
  if (!trigger) return undefined;
  const orders = evidence.orders.map((order): OrderEvaluation => {
    const change = deloadDose(order.dose, order.domain);
    const rationale = sentence('Deload', [trigger.why, ...(change.atTop ? [`${describeDose(order.dose)} cannot be reduced further`] : change.changes), 'intensity kept']);
    const out = decide(order, 'deload', rationale, trigger.used);
    return change.atTop ? out : { ...out, newDose: change.dose };
  });
  return { plan: { phaseFrom: 'build', phaseTo: 'deload', decision: 'deload', rationale: sentence('Deload', [trigger.why]) }, orders };
}

/** The pre-deload dose: the order the deload order replaces (when the order was authored in the deload). */
function preDeload(order: OrderFacts, phaseStart: string | undefined): OrderFacts['chain'][number] | undefined {
  if (phaseStart !== undefined && compareDateTimes(order.authoredOn, phaseStart) < 0) return undefined;
  return order.chain[1];
}

/** Rule 6 (phase deload): resume 7 days after the phase start, else hold. */
export function endOfDeloadRule({ evidence }: RuleContext): Evaluation | undefined {
  if (evidence.phase !== 'deload') return undefined;
  const start = evidence.phaseStart;
  const elapsed = evidence.phaseStartDay ?? 0;
  const since = start !== undefined ? `deload since ${start.slice(0, 10)}` : 'deload';
  if (elapsed < DELOAD_DAYS) {
    const why = `${since}, ${days(elapsed)} of ${DELOAD_DAYS}`;
    return {
      plan: { phaseFrom: 'deload', phaseTo: 'deload', decision: 'hold', rationale: sentence('Held', [why]) },
      orders: evidence.orders.map((o) => decide(o, 'hold', sentence('Held', [why]))),
    };
  }
  const why = `${since} (${days(elapsed)})`;
  const orders = evidence.orders.map((order): OrderEvaluation => {
    const before = preDeload(order, start);
    if (!before || sameDose(before.dose, order.dose)) {
      return decide(order, 'resume', sentence('Resumed', [why, `dose unchanged (${describeDose(order.dose)})`]));
    }
    const dose = copyDose(before.dose);
    if (order.dose.step !== undefined) dose.step = order.dose.step;
    const change = `${describeDose(order.dose)} -> ${describeDose(dose)} (the pre-deload dose from ${before.authoredOn.slice(0, 10)})`;
    return { ...decide(order, 'resume', sentence('Resumed', [why, change])), newDose: dose };
  });
  return { plan: { phaseFrom: 'deload', phaseTo: 'build', decision: 'resume', rationale: sentence('Resumed', [why, 'back to the pre-deload doses']) }, orders };
}

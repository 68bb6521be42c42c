/**
 * One evaluation as a scheduler would run it: progress() at `now`, check the output contract, apply the
 * transaction as an atomic FHIR server would, and hand back the next state of the patient's records.
 */
import type { Bundle, ServiceRequest } from 'fhir/r4';
import { progress, type ProgressResult } from '../../src/progression/progress';
import type { Policy } from '../../src/progression/types';
import { expectContract } from './contract';
import { applyTransaction } from './fhir-apply';
import { byId, exerciseOf } from './inspect';

export interface Step {
  result: ProgressResult;
  /** The records after the transaction was applied. */
  next: Bundle;
  /** Whether applying the transaction changed anything (a create or an update). */
  changed: boolean;
}

export function runAndApply(bundle: Bundle, now: string, policy?: Partial<Policy>): Step {
  const result = progress(bundle, policy === undefined ? { now } : { now, policy });
  expectContract(bundle, result);
  const applied = applyTransaction(bundle, result.transaction);
  return { result, next: { ...applied.bundle, timestamp: now }, changed: applied.outcomes.some((o) => o.changed) };
}

/** The decision per exercise code, for compact assertions. */
export function decisionsByExercise(bundle: Bundle, result: ProgressResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of result.orders) out[exerciseOf(byId<ServiceRequest>(bundle, 'ServiceRequest', d.orderId)) ?? d.orderId] = d.decision;
  return out;
}

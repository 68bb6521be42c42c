/**
 * Progresses every active Gradus plan on a FHIR server. Plans are found with a plain search on the
 * program category; each runs through progressPlan on its own, so one failing patient never stops the
 * others: its failure is recorded with the reason and the run goes on.
 */
import type { CarePlan } from 'fhir/r4';
import { CS, GRADUS_CODE, PROFILE } from '../fhir/codes';
import { normalizeOutcome, statusOf } from '../fhir/outcome';
import { FhirHttpError, type FhirClient } from './fhir-client';
import { progressPlan, type PlanRun, type ProgressPlanOptions } from './progress-plan';

export interface PlanFailure {
  planId: string;
  status: number;
  reason: string;
}

export type PlanReport = { planId: string; run: PlanRun } | { planId: string; failure: PlanFailure };

export interface ProgressAllOptions extends ProgressPlanOptions {
  /** Plans progressed at the same time; default 4. */
  concurrency?: number;
  /** Called as each plan finishes (for a progress bar or a line per patient). */
  onPlan?: (report: PlanReport, done: number, total: number) => void;
}

export interface AllSummary {
  plans: number;
  /** Order decisions counted over every plan written (or proposed on a dry run). */
  decisions: Record<string, number>;
  /** Plans whose phase changed, by new phase. */
  phases: Record<string, number>;
  failures: PlanFailure[];
  reports: PlanReport[];
}

/**
 * Ids of the server's active and on-hold Gradus plans, in a stable order: those with the program category,
 * and those claiming the plan profile (a server that cannot search `_profile` is asked by category only).
 */
export async function gradusPlanIds(client: FhirClient): Promise<string[]> {
  const status = 'active,on-hold';
  const byCategory = await client.search<CarePlan>('CarePlan', { category: `${CS.gradus}|${GRADUS_CODE.exerciseProgram}`, status });
  let byProfile: CarePlan[] = [];
  try {
    byProfile = await client.search<CarePlan>('CarePlan', { _profile: PROFILE.exercisePlan, status });
  } catch (err) {
    if (!(err instanceof FhirHttpError && err.serverStatus === 400)) throw err;
  }
  const ids = [...byCategory, ...byProfile].map((p) => p.id ?? '').filter((id) => id !== '');
  return [...new Set(ids)].sort();
}

async function runOne(client: FhirClient, planId: string, options: ProgressPlanOptions): Promise<PlanReport> {
  try {
    return { planId, run: await progressPlan(client, planId, options) };
  } catch (err) {
    const reason = normalizeOutcome(err).issue.map((i) => i.diagnostics ?? i.code).join('; ');
    return { planId, failure: { planId, status: statusOf(err), reason } };
  }
}

export async function progressAll(client: FhirClient, options: ProgressAllOptions = {}): Promise<AllSummary> {
  const now = options.now ?? new Date().toISOString();
  const ids = await gradusPlanIds(client);
  const reports: PlanReport[] = new Array<PlanReport>(ids.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const i = next++;
      const planId = ids[i] as string;
      const report = await runOne(client, planId, { ...options, now });
      reports[i] = report;
      options.onPlan?.(report, ++done, ids.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, ids.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return summarise(reports);
}

export function summarise(reports: PlanReport[]): AllSummary {
  const summary: AllSummary = { plans: reports.length, decisions: {}, phases: {}, failures: [], reports };
  for (const report of reports) {
    if ('failure' in report) {
      summary.failures.push(report.failure);
      continue;
    }
    for (const order of report.run.result.orders) summary.decisions[order.decision] = (summary.decisions[order.decision] ?? 0) + 1;
    const plan = report.run.result.plan;
    if (plan.phaseFrom !== plan.phaseTo) summary.phases[plan.phaseTo] = (summary.phases[plan.phaseTo] ?? 0) + 1;
  }
  return summary;
}

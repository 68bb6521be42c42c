/**
 * The whole loop for one plan on a FHIR server: read, apply progression, write back. When the write meets
 * a changed plan (412, or HAPI's 409) or its outcome is unknown (the connection broke, a timeout, a 5xx),
 * the plan is read again. If the first write had in fact been applied (its Provenances are on the server),
 * the run reports that write; otherwise progression is recomputed on what is there now and written once
 * more. A second conflict gives up with a 409 that says what changed. Nothing is written on a dry run.
 * See: https://hl7.org/fhir/R4/http.html#concurrency
 */
import type { Bundle, Resource } from 'fhir/r4';
import { badRequest, conflict, OperationOutcomeError } from '../fhir/outcome';
import { referenceKey } from '../fhir/reference';
import { isDateTimeWithOffset, progress, type Policy, type ProgressResult } from '../progression';
import { FhirHttpError, type FhirClient } from './fhir-client';
import { recordedRejection, rejectionKey } from './proposal';
import { readPlan, type PlanData } from './read-plan';
import { evaluationKeyOf, recordedProvenances, writeTransaction } from './write-plan';

export interface ProgressPlanOptions {
  /** The evaluation time (ISO dateTime with offset); default the clock. */
  now?: string;
  policy?: Partial<Policy>;
  /** Read and compute only. */
  dryRun?: boolean;
  /** Write even a proposal a clinician rejected on this plan version (default: such a run writes nothing). */
  ignoreRejections?: boolean;
}

export interface PlanRun {
  planId: string;
  /** The plan's subject reference (`Patient/<id>`). */
  patient: string | undefined;
  now: string;
  result: ProgressResult;
  /** The resources the server stored (empty on a dry run or when there was nothing to write). */
  written: Resource[];
  /** Whether the plan or its orders changed on the server. */
  committed: boolean;
  dryRun: boolean;
  /** 1, or 2 when the first write met a change (or its fate was unknown) and the plan was read again. */
  attempts: number;
  /** Set when nothing was written because a clinician rejected this very proposal on this plan version. */
  rejectedBy?: string;
}

/** The server answered, or may have applied the write without the answer arriving. */
const outcomeUnknown = (err: unknown): boolean => err instanceof FhirHttpError && (err.serverStatus === undefined || err.serverStatus >= 500);

/** HAPI answers a stale If-Match with 409 (HAPI-0989); everyone else with 412. */
export const isVersionConflict = (err: unknown): boolean => err instanceof FhirHttpError && (err.serverStatus === 412 || err.serverStatus === 409);

/** What differs between two reads of a plan's data, in words: versions, statuses, new and removed resources. */
export function whatChanged(before: Bundle, after: Bundle): string[] {
  const index = (b: Bundle): Map<string, Resource> =>
    new Map((b.entry ?? []).flatMap((e) => (e.resource ? [[`${e.resource.resourceType}/${e.resource.id ?? ''}`, e.resource] as const] : [])));
  const was = index(before);
  const now = index(after);
  const changes: string[] = [];
  for (const [key, resource] of now) {
    const old = was.get(key);
    if (!old) changes.push(`${key} is new`);
    else if (old.meta?.versionId !== resource.meta?.versionId) {
      const status = (r: Resource): unknown => (r as { status?: unknown }).status;
      const statusNote = status(old) !== status(resource) ? `, status ${String(status(old))} -> ${String(status(resource))}` : '';
      changes.push(`${key} changed (version ${old.meta?.versionId ?? '?'} -> ${resource.meta?.versionId ?? '?'}${statusNote})`);
    }
  }
  for (const key of was.keys()) if (!now.has(key)) changes.push(`${key} is gone`);
  return changes;
}

/** The engine on data read from the server: its refusal means the stored data cannot be progressed (422). */
export function decide(data: PlanData, planId: string, options: { now: string; baseUrl: string; policy?: Partial<Policy> }): ProgressResult {
  try {
    return progress(data.bundle, options);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    const lead = { severity: 'error' as const, code: 'processing' as const, diagnostics: `CarePlan/${planId}: the data on the FHIR server cannot be progressed (expressions point into the Bundle Gradus read)` };
    throw new OperationOutcomeError({ resourceType: 'OperationOutcome', issue: [lead, ...err.outcome.issue] }, 422);
  }
}

/** When the first write was applied after all: the Provenances it recorded, the plan and the orders they name. */
async function appliedWrite(client: FhirClient, result: ProgressResult, fresh: PlanData): Promise<Resource[] | undefined> {
  const keys = (result.transaction.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Provenance' ? (evaluationKeyOf(e.resource) ?? []) : []));
  const found = await recordedProvenances(client, keys);
  const mine = found.filter((p) => p.activity !== undefined);
  if (mine.length === 0) return undefined;
  const targets = new Set(mine.flatMap((p) => p.target.map((t) => referenceKey(t.reference))));
  const resources = (fresh.bundle.entry ?? []).flatMap((e) => (e.resource && targets.has(`${e.resource.resourceType}/${e.resource.id ?? ''}`) ? [e.resource] : []));
  return [fresh.plan, ...resources.filter((r) => r.resourceType !== 'CarePlan'), ...found];
}

export async function progressPlan(client: FhirClient, planId: string, options: ProgressPlanOptions = {}): Promise<PlanRun> {
  const now = options.now ?? new Date().toISOString();
  if (!isDateTimeWithOffset(now)) {
    throw badRequest(`now '${String(now)}' is not an ISO dateTime with seconds and a UTC offset (e.g. 2026-02-23T08:00:00+01:00)`, 'now');
  }
  const engineOptions = { now, baseUrl: client.baseUrl, ...(options.policy ? { policy: options.policy } : {}) };
  let data = await readPlan(client, planId);
  let result = decide(data, planId, engineOptions);
  const run = { planId, patient: data.plan.subject?.reference, now, dryRun: options.dryRun === true };
  if (run.dryRun) return { ...run, result, written: [], committed: false, attempts: 1 };
  if (!options.ignoreRejections) {
    const rejection = await recordedRejection(client, rejectionKey(planId, data.plan.meta?.versionId, result));
    if (rejection) return { ...run, result, written: [], committed: false, attempts: 1, rejectedBy: `Provenance/${rejection.id ?? ''}` };
  }

  for (let attempt = 1; ; attempt++) {
    try {
      const { written, committed } = await writeTransaction(client, result.transaction);
      return { ...run, result, written, committed, attempts: attempt };
    } catch (err) {
      if (!(isVersionConflict(err) || outcomeUnknown(err))) throw err;
      const again = await readPlan(client, planId);
      const changes = whatChanged(data.bundle, again.bundle);
      if (outcomeUnknown(err) && changes.length > 0) {
        const applied = await appliedWrite(client, result, again);
        if (applied) return { ...run, result, written: applied, committed: true, attempts: attempt };
      }
      if (attempt >= 2 || (isVersionConflict(err) && changes.length === 0)) {
        if (!isVersionConflict(err)) throw err;
        throw conflict(
          `CarePlan/${planId} changed while Gradus was writing and Gradus gave up after ${attempt} attempt(s); its last write was refused. ` +
            `Changes since it was read: ${changes.length > 0 ? changes.join('; ') : 'none visible'}`,
        );
      }
      data = again;
      result = decide(data, planId, engineOptions);
    }
  }
}

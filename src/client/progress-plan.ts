/**
 * The whole loop for one plan on a FHIR server: read, apply progression, write back. When the write meets
 * a changed plan (412, or HAPI's 409) or its outcome is unknown (the connection broke, a timeout, a 5xx),
 * the plan is read again, progression recomputed on what is there now, and the write tried once more; a
 * second conflict gives up with a 409 that says what changed. Nothing is written on a dry run.
 * See: https://hl7.org/fhir/R4/http.html#concurrency
 */
import type { Bundle, Resource } from 'fhir/r4';
import { conflict } from '../fhir/outcome';
import { progress, type Policy, type ProgressResult } from '../progression';
import { FhirHttpError, type FhirClient } from './fhir-client';
import { readPlan } from './read-plan';
import { writeTransaction } from './write-plan';

export interface ProgressPlanOptions {
  /** The evaluation time (ISO dateTime with offset); default the clock. */
  now?: string;
  policy?: Partial<Policy>;
  /** Read and compute only. */
  dryRun?: boolean;
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
  /** 1, or 2 when the first write met a change and progression was recomputed. */
  attempts: number;
}

/** A failure after which the server may hold a newer plan than the one read (or the write's fate is unknown). */
function worthRereading(err: unknown): boolean {
  if (!(err instanceof FhirHttpError)) return false;
  const status = err.serverStatus;
  return status === undefined || status === 412 || status === 409 || status >= 500;
}

/** HAPI answers a stale If-Match with 409 (HAPI-0989); everyone else with 412. */
function isVersionConflict(err: unknown): boolean {
  return err instanceof FhirHttpError && (err.serverStatus === 412 || err.serverStatus === 409);
}

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

export async function progressPlan(client: FhirClient, planId: string, options: ProgressPlanOptions = {}): Promise<PlanRun> {
  const now = options.now ?? new Date().toISOString();
  const engineOptions = { now, ...(options.policy ? { policy: options.policy } : {}) };
  let data = await readPlan(client, planId);
  let result = progress(data.bundle, engineOptions);
  const run = { planId, patient: data.plan.subject?.reference, now, dryRun: options.dryRun === true };
  if (run.dryRun) return { ...run, result, written: [], committed: false, attempts: 1 };

  for (let attempt = 1; ; attempt++) {
    try {
      const { written, committed } = await writeTransaction(client, result.transaction);
      return { ...run, result, written, committed, attempts: attempt };
    } catch (err) {
      if (!worthRereading(err)) throw err;
      const again = await readPlan(client, planId);
      const changes = whatChanged(data.bundle, again.bundle);
      if (attempt >= 2 && isVersionConflict(err)) {
        throw conflict(
          `CarePlan/${planId} changed again while Gradus was writing; nothing was written. ` +
            `Changes since it was read: ${changes.length > 0 ? changes.join('; ') : 'none visible'}`,
        );
      }
      if (attempt >= 2 || (isVersionConflict(err) && changes.length === 0)) throw err;
      data = again;
      result = progress(data.bundle, engineOptions);
    }
  }
}

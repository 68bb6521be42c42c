/**
 * The Gradus operations as plain handlers (no express): `$progress` on a plan held by the FHIR server,
 * `$progress` on a posted Bundle, and `$validate`. Each takes plain input and returns a resource, or
 * throws an OperationOutcomeError with its status.
 * See: https://hl7.org/fhir/R4/operations.html; https://hl7.org/fhir/R4/resource-operation-validate.html
 */
import type { Bundle, BundleEntry, OperationOutcome, Parameters, ParametersParameter } from 'fhir/r4';
import { progressPlan, type FhirClient, type PlanRun } from '../client';
import { isJsonObject } from '../fhir/json';
import { badRequest } from '../fhir/outcome';
import { describeDose, isDateTimeWithOffset, progress, type ProgressResult } from '../progression';
import type { Validator } from '../validation';

export interface OperationContext {
  client: FhirClient;
  validator: Validator;
  /** The clock, read only when the caller gives no `now`. */
  clock: () => Date;
}

export interface ProgressInput {
  now?: string;
  dryRun?: boolean;
}

/** The operation's input from the query and an optional Parameters body (`now` dateTime, `dryRun` boolean). */
export function progressInput(query: Record<string, unknown>, given: unknown): ProgressInput {
  // express reads an empty JSON body as {}: many FHIR clients send the content type with no body.
  const body = isJsonObject(given) && Object.keys(given).length === 0 ? undefined : given;
  const params = isJsonObject(body) && body.resourceType === 'Parameters' ? ((body as unknown as Parameters).parameter ?? []) : [];
  if (body !== undefined && !(isJsonObject(body) && body.resourceType === 'Parameters')) {
    throw badRequest('the body of $progress on a plan must be empty or a Parameters resource');
  }
  const param = (name: string): ParametersParameter | undefined => params.find((p) => p.name === name);
  const nowValue = typeof query.now === 'string' ? query.now : (param('now')?.valueDateTime ?? param('now')?.valueInstant);
  const dryValue = typeof query.dryRun === 'string' ? query.dryRun : param('dryRun')?.valueBoolean;
  if (nowValue !== undefined && !isDateTimeWithOffset(nowValue)) {
    throw badRequest(`now '${String(nowValue)}' is not an ISO dateTime with seconds and a UTC offset (e.g. 2026-02-23T08:00:00+01:00)`, 'now');
  }
  if (dryValue !== undefined && !['true', 'false', true, false].includes(dryValue)) {
    throw badRequest(`dryRun must be true or false, not '${String(dryValue)}'`, 'dryRun');
  }
  return { ...(nowValue !== undefined ? { now: nowValue } : {}), dryRun: dryValue === true || dryValue === 'true' };
}

const part = (name: string, value: string | number | boolean): ParametersParameter =>
  typeof value === 'boolean' ? { name, valueBoolean: value } : typeof value === 'number' ? { name, valueInteger: value } : { name, valueString: value };

/** The decisions as a Parameters resource: one `plan` and one `order` parameter per evaluated order. */
export function decisionsParameters(result: ProgressResult, extra: ParametersParameter[] = []): Parameters {
  const { plan } = result;
  return {
    resourceType: 'Parameters',
    parameter: [
      {
        name: 'plan',
        part: [
          part('id', plan.planId),
          part('phaseFrom', plan.phaseFrom),
          part('phaseTo', plan.phaseTo),
          ...(plan.decision !== undefined ? [part('decision', plan.decision)] : []),
          ...(plan.rationale !== undefined ? [part('rationale', plan.rationale)] : []),
        ],
      },
      ...result.orders.map((o) => ({
        name: 'order',
        part: [part('id', o.orderId), part('exercise', o.exercise), part('domain', o.domain), part('decision', o.decision), part('from', describeDose(o.from)), part('to', describeDose(o.to)), part('rationale', o.rationale)],
      })),
      ...extra,
    ],
  };
}

/** The decisions, then either the written resources (as stored) or, when nothing was written, the proposed transaction. */
function resultBundle(result: ProgressResult, now: string, resources: BundleEntry[], extra: ParametersParameter[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now,
    entry: [{ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000000', resource: decisionsParameters(result, extra) }, ...resources],
  };
}

/** `POST [base]/CarePlan/{id}/$progress`: read, apply and (unless a dry run) write back. */
export async function progressOnServer(ctx: OperationContext, planId: string, input: ProgressInput): Promise<{ bundle: Bundle; run: PlanRun }> {
  const run = await progressPlan(ctx.client, planId, { now: input.now ?? ctx.clock().toISOString(), dryRun: input.dryRun === true });
  const extra = [part('dryRun', run.dryRun), part('committed', run.committed), part('attempts', run.attempts), ...(run.rejectedBy !== undefined ? [part('rejectedBy', run.rejectedBy)] : [])];
  const resources = run.dryRun
    ? [{ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: run.result.transaction }]
    : run.written.map((r) => ({ fullUrl: ctx.client.url(`${r.resourceType}/${r.id ?? ''}`), resource: r }));
  return { bundle: resultBundle(run.result, run.now, resources, extra), run };
}

/** `POST [base]/CarePlan/$progress` with a patient's Bundle: apply only, nothing written. */
export function progressPostedBundle(ctx: OperationContext, body: unknown, input: ProgressInput): Bundle {
  if (!isJsonObject(body) || body.resourceType !== 'Bundle') {
    throw badRequest(`$progress at the type level takes a Bundle (a patient's plan, orders and logs), not ${isJsonObject(body) ? String(body.resourceType) : 'this body'}`);
  }
  const bundle = body as unknown as Bundle;
  const now = input.now ?? bundle.timestamp ?? ctx.clock().toISOString();
  const result = progress(bundle, { now });
  return resultBundle(result, now, [{ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: result.transaction }], [part('dryRun', true)]);
}

/** `POST [base]/$validate` and `[base]/{type}/$validate`: the resource itself, or a Parameters with `resource` (and `profile`). */
export function validateOperation(ctx: OperationContext, body: unknown, options: { type?: string; profile?: string }): OperationOutcome {
  let resource: unknown = body;
  let profile = options.profile;
  if (isJsonObject(body) && body.resourceType === 'Parameters' && options.type !== 'Parameters') {
    const params = (body as unknown as Parameters).parameter ?? [];
    resource = params.find((p) => p.name === 'resource')?.resource;
    profile ??= params.find((p) => p.name === 'profile')?.valueUri ?? params.find((p) => p.name === 'profile')?.valueCanonical;
    if (resource === undefined) throw badRequest('the Parameters body has no `resource` parameter to validate');
  }
  if (!isJsonObject(resource) || typeof resource.resourceType !== 'string') {
    throw badRequest('the body is not a FHIR resource (a JSON object with resourceType)');
  }
  if (options.type !== undefined && resource.resourceType !== options.type) {
    throw badRequest(`$validate on ${options.type} was given a ${String(resource.resourceType)}`);
  }
  return ctx.validator.validate(resource, profile !== undefined ? { profile } : {});
}

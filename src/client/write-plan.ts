/**
 * Writes the engine's transaction to a FHIR server so that no request, failed or cut, leaves a
 * half-applied plan.
 *
 * A changed plan is written in one request, a FHIR transaction (all or nothing: HAPI, and the embedded
 * server, whose store rolls back): the new orders, the on-hold or completed orders, the plan (If-Match:
 * the commit point) and the run's Provenances. The plan switches from its old orders to the new ones in
 * that one step, so no reader ever sees a plan pointing at a missing or inactive order, two active orders
 * for one exercise, or an active order the plan does not list. The Provenances go inside the commit as
 * plain creates: the If-Match guards make the commit happen once, and a Provenance written apart from its
 * change could be lost by a cut connection with no later run able to tell. (Medplum also refuses a
 * transaction that holds a conditional create and more than 8 entries.) A hold Provenance whose evaluation
 * key the server already holds (recorded by an earlier run on the same data) is left out of the commit.
 *
 * When nothing changes (every order holds), only the hold Provenances are written, as a batch of
 * conditional creates on their evaluation keys, so a re-run on the same data writes nothing new.
 * See: https://hl7.org/fhir/R4/http.html#transaction; implementation-guide.md "Writing to a FHIR server".
 */
import type { Bundle, BundleEntry, OperationOutcome, Provenance, Resource } from 'fhir/r4';
import { EVALUATION_KEY_SYSTEM } from '../fhir/codes';
import { issue, OperationOutcomeError, outcome } from '../fhir/outcome';
import { referenceKey } from '../fhir/reference';
import { changesTransaction, provenanceBatch } from '../progression';
import type { FhirClient } from './fhir-client';

export interface WriteResult {
  /** The resources as the server stored them, in the order of the request. */
  written: Resource[];
  /** Whether the plan or its orders changed (false: only hold Provenances, or nothing, was written). */
  committed: boolean;
}

const isProvenance = (e: BundleEntry): boolean => e.resource?.resourceType === 'Provenance';

/** The evaluation key a Provenance carries in meta.tag. */
export function evaluationKeyOf(resource: Resource | undefined): string | undefined {
  return resource?.meta?.tag?.find((t) => t.system === EVALUATION_KEY_SYSTEM)?.code;
}

/** The Provenances the server holds tagged with any of these keys (evaluation keys unless another tag system is named). */
export async function recordedProvenances(client: FhirClient, keys: readonly string[], system: string = EVALUATION_KEY_SYSTEM): Promise<Provenance[]> {
  if (keys.length === 0) return [];
  return client.search<Provenance>('Provenance', { _tag: keys.map((k) => `${system}|${k}`).join(',') });
}

/**
 * The one transaction that commits a change: the changes, then every Provenance as a plain create, less
 * those whose key is in `recorded`. Undefined when nothing changes.
 */
export function commitTransaction(transaction: Bundle, recorded: ReadonlySet<string> = new Set()): Bundle | undefined {
  const changes = changesTransaction(transaction);
  if (!changes) return undefined;
  const provenances = (transaction.entry ?? [])
    .filter((e) => isProvenance(e) && !recorded.has(evaluationKeyOf(e.resource) ?? ''))
    .map((e): BundleEntry => {
      const copy = structuredClone(e);
      if (copy.request) delete copy.request.ifNoneExist;
      return copy;
    });
  return { resourceType: 'Bundle', type: 'transaction', entry: [...(changes.entry ?? []), ...provenances] };
}

const ok = (status: string | undefined): boolean => /^2\d\d/.test(status ?? '');

/** The resources of a transaction- or batch-response; an entry answered without its resource is read back. */
async function storedResources(client: FhirClient, entries: BundleEntry[]): Promise<Resource[]> {
  const resources: Resource[] = [];
  for (const entry of entries) {
    if (entry.resource && entry.resource.resourceType !== 'OperationOutcome') resources.push(entry.resource);
    else {
      const key = referenceKey(entry.response?.location);
      if (key === undefined) continue;
      const [type, id] = key.split('/') as [Resource['resourceType'], string];
      resources.push(await client.read(type, id));
    }
  }
  return resources;
}

/** Every entry of a response that was not answered 2xx, as issues naming the server's reason. */
function failedEntries(response: Bundle, what: string): OperationOutcome['issue'] {
  return (response.entry ?? []).flatMap((entry, i) => {
    if (ok(entry.response?.status)) return [];
    const answer = entry.response?.outcome;
    const reason = answer?.resourceType === 'OperationOutcome' ? (answer as OperationOutcome).issue.map((x) => x.diagnostics).join('; ') : '';
    return [issue('error', 'processing', `${what} entry ${i + 1}: the FHIR server answered ${entry.response?.status ?? 'nothing'} ${reason}`.trim())];
  });
}

/** Writes the engine's transaction (see the file comment); throws the server's error when the commit fails. */
export async function writeTransaction(client: FhirClient, transaction: Bundle): Promise<WriteResult> {
  if (changesTransaction(transaction)) {
    const holdKeys = (transaction.entry ?? [])
      .filter((e) => isProvenance(e) && e.request?.ifNoneExist !== undefined && (e.resource as Provenance).activity === undefined)
      .flatMap((e) => evaluationKeyOf(e.resource) ?? []);
    const recorded = new Set((await recordedProvenances(client, holdKeys)).flatMap((p) => evaluationKeyOf(p) ?? []));
    const commit = commitTransaction(transaction, recorded) as Bundle;
    const response = await client.bundle(commit);
    const failed = failedEntries(response, 'transaction');
    if (response.type !== 'transaction-response' || failed.length > 0) {
      // An atomic server never answers a transaction in part: say so loudly rather than trust the state.
      throw new OperationOutcomeError(outcome([issue('error', 'processing', `the FHIR server answered the transaction with a ${String(response.type)} that is not all 2xx: it may not apply transactions atomically`), ...failed]), 502);
    }
    return { written: await storedResources(client, response.entry ?? []), committed: true };
  }
  const holds = provenanceBatch(transaction);
  if (!holds) return { written: [], committed: false };
  const response = await client.bundle(holds);
  const failed = failedEntries(response, 'Provenance batch');
  if (failed.length > 0) throw new OperationOutcomeError(outcome(failed), 502);
  const created = (response.entry ?? []).filter((e) => e.response?.status?.startsWith('201') === true);
  return { written: await storedResources(client, created), committed: false };
}

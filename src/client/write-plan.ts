/**
 * Writes the engine's transaction to a FHIR server so that no request, failed or cut, leaves a
 * half-applied plan.
 *
 * A changed plan is written in one request, a FHIR transaction (all or nothing: HAPI, and the embedded
 * server, whose store rolls back): the new orders, the on-hold or completed orders, the plan (If-Match:
 * the commit point) and every Provenance. The plan switches from its old orders to the new ones in that
 * one step, so no reader ever sees a plan pointing at a missing or inactive order, two active orders for
 * one exercise, or an active order the plan does not list. The Provenances go inside the commit as plain
 * creates: the If-Match guards make the commit happen once, and a Provenance written apart from its change
 * could be lost by a cut connection with no later run able to tell. The conditional creates are dropped
 * there for a second reason: Medplum refuses a transaction holding one when it has more than 8 entries.
 *
 * When nothing changes (every order holds), only the hold Provenances are written, as a batch of
 * conditional creates on their evaluation keys, so a re-run on the same data writes nothing new.
 * See: https://hl7.org/fhir/R4/http.html#transaction; implementation-guide.md "Writing to a FHIR server".
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';
import { issue, OperationOutcomeError, outcome } from '../fhir/outcome';
import { changesTransaction, provenanceBatch } from '../progression';
import type { FhirClient } from './fhir-client';
import { referenceKey } from './read-plan';

export interface WriteResult {
  /** The resources as the server stored them, in the order of the request. */
  written: Resource[];
  /** Whether the plan or its orders changed (false: only hold Provenances, or nothing, was written). */
  committed: boolean;
}

/** The one transaction that commits a change: the changes, then every Provenance as a plain create. */
export function commitTransaction(transaction: Bundle): Bundle | undefined {
  const changes = changesTransaction(transaction);
  if (!changes) return undefined;
  const provenances = (transaction.entry ?? [])
    .filter((e) => e.resource?.resourceType === 'Provenance')
    .map((e): BundleEntry => {
      const copy = structuredClone(e);
      if (copy.request) delete copy.request.ifNoneExist;
      return copy;
    });
  return { resourceType: 'Bundle', type: 'transaction', entry: [...(changes.entry ?? []), ...provenances] };
}

const ok = (status: string | undefined): boolean => /^2\d\d/.test(status ?? '');

/** The resources of a transaction- or batch-response; an entry answered without its resource is read back. */
async function storedResources(client: FhirClient, response: Bundle): Promise<Resource[]> {
  const resources: Resource[] = [];
  for (const entry of response.entry ?? []) {
    if (entry.resource && entry.resource.resourceType !== 'OperationOutcome') resources.push(entry.resource);
    else if (entry.response?.location !== undefined) {
      const key = referenceKey(entry.response.location);
      if (key === undefined) continue;
      const [type, id] = key.split('/') as [Resource['resourceType'], string];
      resources.push(await client.read(type, id));
    }
  }
  return resources;
}

/** Throws when a batch entry failed (a Provenance the server refused), naming each with the server's reason. */
function checkBatch(response: Bundle): void {
  const failed = (response.entry ?? []).flatMap((entry, i) => {
    if (ok(entry.response?.status)) return [];
    const answer = entry.response?.outcome;
    const reason = answer?.resourceType === 'OperationOutcome' ? (answer as OperationOutcome).issue.map((x) => x.diagnostics).join('; ') : '';
    return [issue('error', 'processing', `Provenance ${i + 1}: the server answered ${entry.response?.status ?? 'nothing'} ${reason}`.trim())];
  });
  if (failed.length > 0) throw new OperationOutcomeError(outcome(failed), 502);
}

/** Writes the engine's transaction (see the file comment); throws the server's error when the commit fails. */
export async function writeTransaction(client: FhirClient, transaction: Bundle): Promise<WriteResult> {
  const commit = commitTransaction(transaction);
  if (commit) {
    const response = await client.bundle(commit);
    return { written: await storedResources(client, response), committed: true };
  }
  const holds = provenanceBatch(transaction);
  if (!holds) return { written: [], committed: false };
  const response = await client.bundle(holds);
  checkBatch(response);
  const created = (response.entry ?? []).filter((e) => e.response?.status?.startsWith('201') === true);
  return { written: await storedResources(client, { ...response, entry: created }), committed: false };
}

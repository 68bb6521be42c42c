/**
 * The engine's transaction in two parts: the changes (new orders and updates, no conditional entry), and
 * the Provenances as a batch of conditional creates, with references to the new orders (urn:uuid) replaced
 * by the ids a server assigned when a changes' response is given. src/client writes the changes and their
 * Provenances in one transaction and uses the batch for runs where every order holds.
 * See: https://hl7.org/fhir/R4/http.html#transaction and implementation-guide.md "Progression output".
 */
import type { Bundle, BundleEntry, Provenance } from 'fhir/r4';
import { badRequest } from '../../fhir/outcome';
import { versionedKey } from '../../fhir/reference';

const isProvenance = (entry: BundleEntry): boolean => entry.resource?.resourceType === 'Provenance';

/** The new orders and updates of the engine's transaction, as a transaction; undefined when nothing changes. */
export function changesTransaction(transaction: Bundle): Bundle | undefined {
  const entry = (transaction.entry ?? []).filter((e) => !isProvenance(e));
  return entry.length > 0 ? { resourceType: 'Bundle', type: 'transaction', entry: structuredClone(entry) } : undefined;
}


/**
 * The Provenances of the engine's transaction as a batch, each still a conditional create on its
 * evaluation key; references to the new orders point at the versions the changes created, read from the
 * changes' transaction-response (entry i answers changes entry i). Undefined when there is no Provenance.
 */
export function provenanceBatch(transaction: Bundle, changesResponse?: Bundle): Bundle | undefined {
  const provenances = (transaction.entry ?? []).filter(isProvenance);
  if (provenances.length === 0) return undefined;
  const assigned = new Map<string, string>();
  const changes = changesTransaction(transaction)?.entry ?? [];
  changes.forEach((entry, i) => {
    const location = versionedKey(changesResponse?.entry?.[i]?.response?.location);
    if (entry.fullUrl?.startsWith('urn:uuid:') && location !== undefined) assigned.set(entry.fullUrl, location);
  });
  const entry = provenances.map((e) => {
    const copy = structuredClone(e) as BundleEntry<Provenance>;
    for (const target of copy.resource?.target ?? []) {
      if (!target.reference?.startsWith('urn:uuid:')) continue;
      const location = assigned.get(target.reference);
      if (location === undefined) throw badRequest(`no location in the changes' response for ${target.reference}`);
      target.reference = location;
    }
    return copy;
  });
  return { resourceType: 'Bundle', type: 'batch', entry };
}

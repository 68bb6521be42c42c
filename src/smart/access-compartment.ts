/**
 * The launch patient's compartment, as the access guard draws it: whether a resource (stored, or about to
 * be written, possibly inside a transaction) belongs to that patient.
 *
 * In the compartment: the Patient itself (by id; a Patient being created never is, its id is the server's);
 * a CarePlan, ServiceRequest, Observation or Goal whose `subject` is the patient; a Provenance with at least
 * one target, every target in the compartment (a target that is an entry of the same transaction is judged
 * by that entry's resource, a stored target by the stored resource). Nothing else is: other types, a
 * subject that is not a Patient, a reference the guard cannot follow, a missing target, a Provenance of a
 * Provenance, or an entry created conditionally (`ifNoneExist` may resolve it to a resource unseen here).
 * References are compared as `Type/id` whatever their base URL or version (src/fhir/reference.ts).
 * `linkHeld` judges what a resource of the patient may point at (a plan's orders, goals, the plans it is based
 * on): a stored resource in the compartment, an entry of the transaction in it, a contained resource, or a
 * `Type/id` nothing is stored under; not a reference the guard cannot follow (another `urn:uuid:`, a
 * conditional reference `Type?criteria`, anything that is not `Type/id`).
 * See: https://hl7.org/fhir/R4/compartmentdefinition-patient.html
 */
import type { Provenance, Reference, Resource } from 'fhir/r4';
import { isJsonObject } from '../fhir/json';
import { referenceKey } from '../fhir/reference';

/** Reads one stored resource (current version); undefined when there is none. */
export type ReadResource = (type: string, id: string) => Promise<Resource | undefined>;

/** Types in the compartment through their `subject`, and their search parameters that name it. */
export const SUBJECT_TYPES: ReadonlySet<string> = new Set(['CarePlan', 'ServiceRequest', 'Observation', 'Goal']);

/** An entry of the transaction or batch being checked, as a reference to it resolves. */
export interface BundleTarget {
  /** `Type/id` when the entry names it (PUT, DELETE); absent for a create, whose id the server assigns. */
  key?: string;
  resource?: Resource;
  /** A conditional create: it may resolve to a stored resource the guard has not seen. */
  conditional: boolean;
}

/** A stored-resource reader that asks the store once per `Type/id`. */
export function cachedReader(read: ReadResource): ReadResource {
  const cache = new Map<string, Promise<Resource | undefined>>();
  return (type, id) => {
    const key = `${type}/${id}`;
    let found = cache.get(key);
    if (!found) cache.set(key, (found = read(type, id)));
    return found;
  };
}

/** True for a JSON object with a string resourceType. */
export function isResource(value: unknown): value is Resource {
  return isJsonObject(value) && typeof value.resourceType === 'string';
}

/** `Type/id` of a resource, or "the new Type" when it has no id (for messages). */
export function describe(resource: Resource): string {
  return resource.id !== undefined ? `${resource.resourceType}/${resource.id}` : `the new ${resource.resourceType}`;
}

export class Compartment {
  readonly reference: string;

  constructor(
    readonly patientId: string,
    private readonly read: ReadResource,
    /** Entries of the transaction being checked, by fullUrl and by `Type/id`. */
    private readonly entries: ReadonlyMap<string, BundleTarget> = new Map(),
  ) {
    this.reference = `Patient/${patientId}`;
  }

  /** Whether a resource belongs to the patient; `created`: it is being created (a new Patient never does). */
  async holds(resource: Resource, created = false): Promise<boolean> {
    const type = resource.resourceType;
    if (type === 'Patient') return !created && resource.id === this.patientId;
    if (SUBJECT_TYPES.has(type)) return this.namesPatient((resource as { subject?: Reference }).subject?.reference);
    if (type === 'Provenance') {
      const given: unknown = (resource as Provenance).target;
      const targets: unknown[] = Array.isArray(given) ? given : [];
      if (targets.length === 0) return false;
      for (const target of targets) {
        const reference = isJsonObject(target) && typeof target.reference === 'string' ? target.reference : undefined;
        if (!(await this.targetHeld(reference))) return false;
      }
      return true;
    }
    return false;
  }

  /** Whether the stored resource `Type/id` belongs to the patient (false when there is none). */
  async holdsStored(type: string, id: string): Promise<boolean> {
    if (type === 'Patient') return id === this.patientId;
    const stored = await this.read(type, id);
    return stored !== undefined && (await this.holds(stored));
  }

  /** The stored resource, read once. */
  stored(type: string, id: string): Promise<Resource | undefined> {
    return this.read(type, id);
  }

  /** Whether a reference (relative, absolute, versioned, or to an entry of the transaction) names the patient. */
  namesPatient(reference: string | undefined): boolean {
    if (reference === undefined) return false;
    const entry = this.entries.get(reference);
    if (entry) return !entry.conditional && entry.key === this.reference;
    return referenceKey(reference) === this.reference;
  }

  /**
   * Whether a resource of the patient may hold this reference (see the file comment): what it names is in
   * the compartment or is not stored at all.
   */
  async linkHeld(reference: string): Promise<boolean> {
    if (/^#[A-Za-z0-9\-.]{0,64}$/.test(reference)) return true;
    const key = referenceKey(reference);
    const entry = this.entryFor(reference, key);
    if (entry) return !entry.conditional && entry.resource !== undefined && (await this.holds(entry.resource, entry.key === undefined));
    // The server rewrites a `urn:uuid:` anywhere in a string, and may resolve `Type?criteria` by a search.
    if (key === undefined || /urn(:|%3a)uuid/i.test(reference) || reference.includes('?')) return false;
    const [type = '', id = ''] = key.split('/');
    if (type === 'Patient') return id === this.patientId || (await this.read(type, id)) === undefined;
    const stored = await this.read(type, id);
    return stored === undefined || this.holds(stored);
  }

  /** The transaction entry a reference resolves to: by fullUrl as written, else by its `Type/id` (`key`). */
  private entryFor(reference: string, key: string | undefined): BundleTarget | undefined {
    return this.entries.get(reference) ?? (key !== undefined ? this.entries.get(key) : undefined);
  }

  private async targetHeld(reference: string | undefined): Promise<boolean> {
    if (reference === undefined) return false;
    const key = referenceKey(reference);
    const entry = this.entryFor(reference, key);
    if (entry) {
      if (entry.conditional || !entry.resource || entry.resource.resourceType === 'Provenance') return false;
      return this.holds(entry.resource, entry.key === undefined);
    }
    if (key === undefined) return false;
    const [type = '', id = ''] = key.split('/');
    return type !== 'Provenance' && this.holdsStored(type, id);
  }
}

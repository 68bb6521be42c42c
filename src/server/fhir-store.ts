/**
 * The embedded FHIR server's store: Medplum's MemoryRepository made atomic and validating.
 *
 * Why: the MemoryRepository applies a transaction's entries one by one and keeps whatever was written
 * before a failing entry (a 412 on the plan PUT left the new orders saved), and it stores anything, even
 * `resourceType: "NotAType"`. This store keeps an undo log while a transaction runs and rolls it back when
 * the transaction throws, and validates every create or update that claims a Gradus profile.
 * See: https://hl7.org/fhir/R4/http.html#trules ("a transaction ... succeeds or fails as a whole").
 */
import { matchesSearchRequest, OperationOutcomeError as MedplumOutcomeError, Operator, type SearchRequest } from '@medplum/core';
import type { Bundle as MedplumBundle, OperationOutcome as MedplumOutcome, Resource as MedplumResource } from '@medplum/fhirtypes';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from 'fhir/r4';
import { CANONICAL_BASE } from '../fhir/codes';
import { hasErrors } from '../fhir/outcome';
import type { Validator } from '../validation';
import { SearchIndex } from './search-index';

type ById = Map<string, MedplumResource>;
type HistoryById = Map<string, MedplumResource[]>;

/** What one write changed, enough to put it back. */
interface UndoStep {
  resourceType: string;
  id: string;
  previous: MedplumResource | undefined;
  historyLength: number;
}

/** Whether a resource claims one of our profiles in meta.profile. */
export function claimsGradusProfile(resource: { meta?: { profile?: string[] } }): boolean {
  return (resource.meta?.profile ?? []).some((p) => p.startsWith(`${CANONICAL_BASE}/StructureDefinition/`));
}

export interface FhirStoreOptions {
  /** Validates resources that claim a Gradus profile on every write; absent, nothing is validated. */
  validator?: Validator;
}

export class FhirStore extends MemoryRepository {
  private readonly validator: Validator | undefined;
  private readonly index = new SearchIndex();
  private undo: UndoStep[] | undefined;
  private depth = 0;

  constructor(options: FhirStoreOptions = {}) {
    super();
    this.validator = options.validator;
  }

  /** Stores resources as they are (ids and versions kept), without validation: for seeding trusted data. */
  async seed(resources: readonly Resource[]): Promise<void> {
    for (const resource of resources) this.index.add(await super.createResource(resource as MedplumResource));
  }

  override async createResource<T extends MedplumResource>(resource: T): Promise<T & { id: string }> {
    this.validate(resource);
    if (resource.id !== undefined) this.remember(resource);
    const created = await super.createResource(resource);
    if (resource.id === undefined) this.remember(created, { created: true });
    this.index.add(created);
    return created;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    this.remember({ resourceType, id } as MedplumResource);
    return super.deleteResource(resourceType, id);
  }

  /** Runs `callback` as one unit: when it throws, every write it made is undone (nested calls join the outer one). */
  override async withTransaction<TResult>(callback: (client: undefined) => Promise<TResult>): Promise<TResult> {
    const outermost = this.depth === 0;
    if (outermost) this.undo = [];
    this.depth++;
    try {
      return await callback(undefined);
    } catch (err) {
      if (outermost) this.rollback();
      throw err;
    } finally {
      this.depth--;
      if (outermost) this.undo = undefined;
    }
  }

  /**
   * Searches as the router does, except that a reference search for `Type/id` also matches references to
   * a version of it (`Type/id/_history/3`), as HAPI and the FHIR search rules do; Medplum compares strings.
   */
  override async search<T extends MedplumResource>(request: SearchRequest<T>): Promise<MedplumBundle<T & { id: string }>> {
    const filters = request.filters?.map((f) => (f.operator === Operator.EQUALS ? { ...f, value: this.withVersions(f.value) } : f));
    const expanded = filters ? { ...request, filters } : request;
    const candidates = request.sortRules?.length ? undefined : this.index.candidates(request);
    if (!candidates) return super.search(expanded);
    const stored = this.maps().resources.get(request.resourceType);
    const matches: MedplumResource[] = [];
    for (const key of candidates) {
      const [type, id] = key.split('/');
      const resource = type === request.resourceType && id !== undefined ? stored?.get(id) : undefined;
      if (resource && matchesSearchRequest(resource, expanded)) matches.push(resource);
    }
    const offset = request.offset ?? 0;
    const page = matches.slice(offset, request.count === undefined ? undefined : offset + request.count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(page.length > 0 ? { entry: page.map((r) => ({ resource: structuredClone(r) as T & { id: string } })) } : {}),
      total: matches.length,
    };
  }

  /** `Type/id` values of a search, each followed by the versioned references of its stored versions. */
  private withVersions(value: string): string {
    const { history } = this.maps();
    return value
      .split(',')
      .flatMap((v) => {
        const m = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(v);
        const versions = m?.[1] !== undefined && m[2] !== undefined ? (history.get(m[1])?.get(m[2]) ?? []) : [];
        return [v, ...versions.flatMap((r) => (r.meta?.versionId !== undefined ? [`${v}/_history/${r.meta.versionId}`] : []))];
      })
      .join(',');
  }

  private validate(resource: MedplumResource): void {
    if (!this.validator || !claimsGradusProfile(resource)) return;
    const result = this.validator.validate(resource);
    if (hasErrors(result)) throw new MedplumOutcomeError(result as MedplumOutcome);
  }

  private maps(): { resources: Map<string, ById>; history: Map<string, HistoryById> } {
    // The parent keeps its maps private; the undo log needs them (Medplum 4.5.x field names).
    return { resources: this['resources'] as Map<string, ById>, history: this['history'] as Map<string, HistoryById> };
  }

  /** Records the state before a write (or, for a create with a server-assigned id, that nothing was there). */
  private remember(resource: MedplumResource, { created = false } = {}): void {
    if (!this.undo || resource.id === undefined) return;
    const { resources, history } = this.maps();
    const type = resource.resourceType;
    this.undo.push({
      resourceType: type,
      id: resource.id,
      previous: created ? undefined : resources.get(type)?.get(resource.id),
      historyLength: created ? 0 : (history.get(type)?.get(resource.id)?.length ?? 0),
    });
  }

  private rollback(): void {
    const { resources, history } = this.maps();
    for (const step of (this.undo ?? []).reverse()) {
      const byId = resources.get(step.resourceType);
      if (step.previous) byId?.set(step.id, step.previous);
      else byId?.delete(step.id);
      const versions = history.get(step.resourceType);
      if (step.historyLength === 0) versions?.delete(step.id);
      else versions?.get(step.id)?.splice(step.historyLength);
    }
  }
}

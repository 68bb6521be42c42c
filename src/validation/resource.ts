/**
 * A resource (top level, contained, or a Bundle entry): its base definition always, plus its profiles
 * (meta.profile, or the ones asked for), each walked from the root; a Bundle's entries in their own scope.
 * See: https://hl7.org/fhir/R4/validation.html, https://hl7.org/fhir/R4/bundle.html
 */
import { restfulUrl } from '../fhir/reference';
import { isJsonObject } from '../fhir/json';
import type { BundleIndex, ResourceScope, Run } from './context';
import { firstVisit } from './context';
import { canonicalUrl, type Json } from './definitions';
import { checkConstraints } from './invariants';
import { declaredProfiles, indexBundle } from './references';
import type { ElementNode, Structure } from './structure';
import { subsumesBase } from './subsumption';
import { walkProperties } from './walker';

export interface ProfileRequest {
  readonly urls: readonly string[];
  /** Asked for by the caller (an unknown one is an error) rather than declared in meta.profile (a warning). */
  readonly explicit: boolean;
}

/** The index of a Bundle's entries, built once per Bundle object and run (never across calls: input may change). */
export function bundleIndexOf(run: Pick<Run, 'bundleIndexes'>, bundle: Json): BundleIndex {
  let idx = run.bundleIndexes.get(bundle);
  if (!idx) {
    idx = indexBundle(bundle);
    run.bundleIndexes.set(bundle, idx);
  }
  return idx;
}

/** Checks resourceType; returns the base structure when the type is known. */
function baseStructure(run: Run, resource: Json, expr: string): Structure | undefined {
  const rt = resource.resourceType;
  if (typeof rt !== 'string') {
    run.issues.error('structure', 'Missing resourceType: the object is not a FHIR resource', expr);
    return undefined;
  }
  const s = run.defs.isResourceType(rt) ? run.defs.typeStructure(rt) : undefined;
  if (!s) run.issues.error('structure', `Unknown resourceType '${rt}'`, expr);
  return s;
}

/** Resolves requested profiles, reporting unknown ones and ones for another type. */
function profileStructures(run: Run, rt: string, request: ProfileRequest, expr: string): Structure[] {
  const out: Structure[] = [];
  for (const url of request.urls) {
    const s = run.defs.structure(url);
    if (!s) {
      if (request.explicit) run.issues.error('not-found', `Unknown profile ${url}: the resource cannot be validated against it`, expr);
      else run.issues.warning('not-found', `Unknown profile ${url} (meta.profile): validated against the base ${rt} definition only`, expr);
      continue;
    }
    if (s.type !== rt) {
      run.issues.error('invalid', `Profile ${url} constrains ${s.type}, not ${rt}`, expr);
      continue;
    }
    out.push(s);
  }
  return out;
}

/** Walks a resource against one structure, from its root element. */
export function walkResource(run: Run, resource: Json, s: Structure, expr: string, scope: ResourceScope): void {
  if (!firstVisit(run, resource, s, expr)) return;
  const root: ElementNode = s.root;
  checkConstraints(run, root.constraints, { value: resource, base: s.type, expression: expr, scope });
  walkProperties(run, resource, root, expr, scope, true);
}

/** Validates a resource against its base definition plus the requested (or declared) profiles. */
export function validateResource(run: Run, resource: unknown, expr: string, scope: Omit<ResourceScope, 'resource' | 'rootResource' | 'expression'> & { rootResource?: Json }, request?: ProfileRequest): void {
  if (!isJsonObject(resource)) {
    run.issues.error('structure', `Expected a resource (JSON object), found ${Array.isArray(resource) ? 'an array' : typeof resource}`, expr);
    return;
  }
  const base = baseStructure(run, resource, expr);
  if (!base) return;
  const asked = request ?? { urls: declaredProfiles(resource), explicit: false };
  const own: ResourceScope = {
    ...scope,
    resource,
    rootResource: scope.rootResource ?? resource,
    expression: expr,
  };
  const profiles = profileStructures(run, base.type, { urls: asked.urls.map(canonicalUrl), explicit: asked.explicit }, expr);
  const baseCovered = profiles.some((p) => subsumesBase(p, base));
  for (const s of baseCovered ? profiles : [base, ...profiles]) walkResource(run, resource, s, expr, own);
}

/**
 * A Bundle entry's fullUrl: present whenever the entry has a resource, except on a POST in a transaction or
 * batch and in a batch- or transaction-response; and when it looks like a RESTful URL, naming the same type and
 * id as the resource.
 * See: https://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.fullUrl
 */
function checkEntryFullUrl(run: Run, bundle: Json, resource: Json, expr: string): void {
  const entries: unknown[] = Array.isArray(bundle.entry) ? bundle.entry : [];
  const entry = entries.find((e): e is Json => isJsonObject(e) && e.resource === resource);
  if (!entry) return;
  const where = expr.replace(/\.resource$/, '.fullUrl');
  const fullUrl = entry.fullUrl;
  if (typeof fullUrl !== 'string') {
    const post = isJsonObject(entry.request) && entry.request.method === 'POST';
    // "Results from operations might involve resources that are not identified": response Bundles may omit it.
    const response = typeof bundle.type === 'string' && bundle.type.endsWith('-response');
    if (!post && !response) run.issues.error('required', 'Bundle entry missing fullUrl: an entry with a resource needs one (only a POST in a transaction or batch may go without)', where);
    return;
  }
  const url = restfulUrl(fullUrl);
  if (!url || typeof resource.id !== 'string') return;
  if (url.type !== resource.resourceType || url.id !== resource.id) {
    run.issues.error('invalid', `fullUrl ${fullUrl} does not name the entry's resource ${String(resource.resourceType)}/${resource.id}`, where);
  }
}

export interface NestedResource {
  readonly value: unknown;
  readonly node: ElementNode;
  readonly declaredType: string;
  readonly expr: string;
  readonly parent: ResourceScope;
}

/** A resource inside another: contained (same root) or a Bundle entry / parameter (its own root). */
export function validateNestedResource(run: Run, n: NestedResource): void {
  const { value, node, parent, expr } = n;
  const isContained = node.path.endsWith('.contained');
  const parentIsBundle = parent.resource.resourceType === 'Bundle';
  const bundle = isContained ? parent.bundle : parentIsBundle ? bundleIndexOf(run, parent.resource) : undefined;
  const fullUrl = isContained ? parent.fullUrl : bundle && isJsonObject(value) ? bundle.fullUrlOf.get(value) : undefined;
  if (isJsonObject(value) && typeof value.resourceType === 'string' && !['Resource', 'DomainResource'].includes(n.declaredType) && value.resourceType !== n.declaredType && run.defs.isResourceType(n.declaredType)) {
    run.issues.error('structure', `Expected a ${n.declaredType} here, found ${value.resourceType}`, expr);
  }
  if (parentIsBundle && !isContained && isJsonObject(value)) checkEntryFullUrl(run, parent.resource, value, expr);
  const extra = parentIsBundle && !isContained && isJsonObject(value) ? run.entryProfiles(value) : [];
  const request = extra.length > 0 && isJsonObject(value) ? { urls: [...declaredProfiles(value), ...extra], explicit: false } : undefined;
  validateResource(
    run,
    value,
    expr,
    {
      ...(bundle ? { bundle } : {}),
      ...(fullUrl !== undefined ? { fullUrl } : {}),
      ...(isContained ? { rootResource: parent.rootResource } : {}),
    },
    request,
  );
}

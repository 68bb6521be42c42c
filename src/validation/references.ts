/**
 * References: resolution inside a Bundle (fullUrl, Type/id, urn:uuid) and in contained resources, and
 * the target type (and target profile, when the target is at hand) allowed by type.targetProfile.
 * See: https://hl7.org/fhir/R4/references.html, https://hl7.org/fhir/R4/bundle.html#references
 */
import { isJsonObject } from '../fhir/json';
import type { BundleIndex, ResourceScope, Run } from './context';
import type { Json } from './definitions';
import type { TypeRef } from './structure';

const ID = '[A-Za-z0-9\\-.]{1,64}';
const RELATIVE = new RegExp(`^([A-Z][A-Za-z]+)/(${ID})(/_history/${ID})?$`);
const ABSOLUTE = new RegExp(`^(https?://.*/)([A-Z][A-Za-z]+)/(${ID})(/_history/${ID})?$`);

/**
 * Bundle types that carry what their resources reference on the same server (document, message and
 * collection: a Gradus patient Bundle is the complete input of the engine). A reference a profile requires
 * (min >= 1) must resolve in them; transactions, batches, search sets and histories may point at the server.
 */
const SELF_CONTAINED = new Set(['document', 'message', 'collection']);

/** Indexes a Bundle's entries by fullUrl and by `Type/id`. */
export function indexBundle(bundle: Json): BundleIndex {
  const byFullUrl = new Map<string, Json>();
  const byTypeAndId = new Map<string, Json>();
  const fullUrlOf = new Map<Json, string>();
  for (const e of Array.isArray(bundle.entry) ? bundle.entry.filter(isJsonObject) : []) {
    const r = e.resource;
    if (!isJsonObject(r)) continue;
    if (typeof e.fullUrl === 'string') {
      byFullUrl.set(e.fullUrl, r);
      fullUrlOf.set(r, e.fullUrl);
    }
    if (typeof r.resourceType === 'string' && typeof r.id === 'string') byTypeAndId.set(`${r.resourceType}/${r.id}`, r);
  }
  return { type: typeof bundle.type === 'string' ? bundle.type : '', byFullUrl, byTypeAndId, fullUrlOf };
}

export type Resolution =
  | { readonly kind: 'resolved'; readonly resource: Json }
  | { readonly kind: 'unresolved'; readonly mustResolve: boolean }
  /** Points at the Bundle's own server, but the (self-contained) Bundle does not carry it. */
  | { readonly kind: 'absent' }
  | { readonly kind: 'external' };

/** Finds the resource a reference string points to within the scope (contained, then Bundle). */
export function resolveReference(ref: string, scope: ResourceScope): Resolution {
  if (ref.startsWith('#')) {
    if (ref === '#') return { kind: 'resolved', resource: scope.rootResource };
    const id = ref.slice(1);
    const hit = (Array.isArray(scope.rootResource.contained) ? scope.rootResource.contained : []).find(
      (c): c is Json => isJsonObject(c) && c.id === id,
    );
    return hit ? { kind: 'resolved', resource: hit } : { kind: 'unresolved', mustResolve: true };
  }
  const bundle = scope.bundle;
  const isUrn = ref.startsWith('urn:uuid:') || ref.startsWith('urn:oid:');
  if (!bundle) return isUrn ? { kind: 'unresolved', mustResolve: false } : { kind: 'external' };
  const exact = bundle.byFullUrl.get(ref);
  if (exact) return { kind: 'resolved', resource: exact };
  if (isUrn) return { kind: 'unresolved', mustResolve: true };
  const base = scope.fullUrl ? ABSOLUTE.exec(scope.fullUrl)?.[1] : undefined;
  const rel = RELATIVE.exec(ref);
  if (rel) {
    const hit = (base && bundle.byFullUrl.get(`${base}${rel[1]}/${rel[2]}`)) || bundle.byTypeAndId.get(`${rel[1]}/${rel[2]}`);
    if (hit) return { kind: 'resolved', resource: hit };
  }
  const sameServer = rel !== null || (base !== undefined && ref.startsWith(base));
  return sameServer && SELF_CONTAINED.has(bundle.type) ? { kind: 'absent' } : { kind: 'external' };
}

/** The resource type a reference names by its shape (`Patient/1`, `http://x/fhir/Patient/1`). */
function referenceType(ref: string): string | undefined {
  return RELATIVE.exec(ref)?.[1] ?? ABSOLUTE.exec(ref)?.[2];
}

/** The resource's declared profiles (meta.profile). */
export function declaredProfiles(resource: Json): string[] {
  const meta = resource.meta;
  return isJsonObject(meta) && Array.isArray(meta.profile) ? meta.profile.filter((p): p is string => typeof p === 'string') : [];
}

/** Allowed target types (undefined = any) and the profiles a target must meet per type. */
function allowedTargets(run: Run, types: readonly TypeRef[]): Map<string, string[]> | undefined {
  const refs = types.filter((t) => t.code === 'Reference');
  const out = new Map<string, string[]>();
  for (const t of refs) {
    if (t.targetProfiles.length === 0) return undefined;
    for (const p of t.targetProfiles) {
      const s = run.defs.structure(p);
      const type = s?.type ?? p.slice(p.lastIndexOf('/') + 1);
      if (type === 'Resource' || type === 'DomainResource') return undefined;
      const isBase = !s || s.derivation !== 'constraint';
      out.set(type, isBase ? [] : [...(out.get(type) ?? []), s.url]);
    }
  }
  return out;
}

/** What the element says about one Reference value: allowed targets, and whether a profile requires it. */
export interface ReferenceElement {
  readonly types: readonly TypeRef[];
  /** Required by a profile (min >= 1): must then resolve inside a self-contained Bundle. */
  readonly requiredByProfile: boolean;
}

/** Checks one Reference value: resolvable where it must be, of an allowed type, conformant when at hand. */
export function checkReference(run: Run, value: Json, element: ReferenceElement, expr: string, scope: ResourceScope): void {
  const types = element.types;
  const ref = typeof value.reference === 'string' ? value.reference : undefined;
  const declared = typeof value.type === 'string' ? value.type.slice(value.type.lastIndexOf('/') + 1) : undefined;
  let target: Json | undefined;
  let actual: string | undefined;
  if (ref !== undefined) {
    const res = resolveReference(ref, scope);
    if (res.kind === 'resolved') {
      target = res.resource;
      actual = typeof target.resourceType === 'string' ? target.resourceType : undefined;
    } else if (res.kind === 'unresolved' && res.mustResolve && !ref.startsWith('#')) {
      run.issues.error('not-found', `Reference '${ref}' does not resolve to an entry of this Bundle`, `${expr}.reference`);
    } else if (res.kind === 'absent' && element.requiredByProfile) {
      run.issues.error('not-found', `Reference '${ref}' is required by the profile and must resolve to an entry of this ${scope.bundle?.type ?? ''} Bundle`, `${expr}.reference`);
    }
    if (!ref.startsWith('#') && !ref.startsWith('urn:')) {
      const shaped = referenceType(ref);
      if (shaped && !run.defs.isResourceType(shaped) && RELATIVE.test(ref)) {
        run.issues.error('value', `Reference '${ref}' names an unknown resource type '${shaped}'`, `${expr}.reference`);
      }
      actual ??= shaped && run.defs.isResourceType(shaped) ? shaped : undefined;
    }
  }
  if (declared && actual && declared !== actual) {
    run.issues.error('value', `Reference.type '${declared}' does not match the target type '${actual}'`, `${expr}.type`);
  }
  actual ??= declared;
  const allowed = allowedTargets(run, types);
  if (!allowed || actual === undefined) return;
  const profiles = allowed.get(actual);
  if (!profiles) {
    run.issues.error(
      'structure',
      `Reference to a ${actual} is not allowed here (allowed: ${[...allowed.keys()].join(', ')})`,
      expr,
    );
    return;
  }
  // A target that claims the profile is validated against it where it sits (its errors are reported there).
  const claimed = target ? declaredProfiles(target) : [];
  if (target && profiles.length > 0 && !profiles.some((p) => claimed.includes(p) || run.conforms(target, p, scope))) {
    run.issues.error('structure', `The referenced ${actual} does not conform to ${profiles.join(' or ')}`, expr);
  }
}

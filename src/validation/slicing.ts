/**
 * Slicing: which slice each repeating item belongs to (value/pattern, exists, type and profile
 * discriminators; extension slices by url, also when the snapshot has no `<slice>.url` element), then
 * slice cardinality, closed/openAtEnd rules and order.
 * See: https://hl7.org/fhir/R4/profiling.html#slicing
 */
import { isJsonObject } from '../fhir/json';
import { containerFor } from './children';
import type { ResourceScope, Run } from './context';

import { resolveReference } from './references';
import type { ElementNode } from './structure';
import { deepEqual, matchesPattern } from './values';

type Step =
  | { readonly kind: 'this' }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'extension'; readonly url: string }
  | { readonly kind: 'ofType'; readonly type: string }
  | { readonly kind: 'resolve' };

type Expectation =
  | { readonly kind: 'fixed' | 'pattern'; readonly steps: Step[]; readonly value: unknown }
  | { readonly kind: 'exists'; readonly steps: Step[]; readonly exists: boolean }
  | { readonly kind: 'type'; readonly steps: Step[]; readonly types: readonly string[] }
  | { readonly kind: 'profile'; readonly steps: Step[]; readonly profiles: readonly string[] };

/** A repeating item: its JSON value and the type it carries. */
export interface SliceItem {
  readonly value: unknown;
  readonly type: string;
}

interface Found {
  readonly v: unknown;
  readonly type?: string;
}

function parseSteps(path: string): Step[] {
  const parts = path.match(/(?:[^.(]|\([^)]*\))+/g) ?? [];
  return parts.map((p): Step => {
    if (p === '$this') return { kind: 'this' };
    if (p === 'resolve()') return { kind: 'resolve' };
    const ext = /^extension\(['"](.*)['"]\)$/.exec(p);
    if (ext) return { kind: 'extension', url: ext[1] ?? '' };
    const of = /^ofType\((.*)\)$/.exec(p);
    if (of) return { kind: 'ofType', type: of[1] ?? '' };
    return { kind: 'name', name: p };
  });
}

/** Follows steps through a fixed/pattern JSON value. */
function intoValue(value: unknown, steps: readonly Step[]): unknown[] {
  let current: unknown[] = [value];
  for (const s of steps) {
    if (s.kind === 'this') continue;
    if (s.kind !== 'name') return [];
    current = current.flatMap((c): unknown[] => (Array.isArray(c) ? (c as unknown[]) : [c])).flatMap((c) => (isJsonObject(c) && s.name in c ? [c[s.name]] : []));
  }
  return current;
}

/** What a slice's definition requires at a discriminator path (undefined when it cannot be told). */
function expectation(run: Run, slice: ElementNode, type: string, path: string): Expectation | undefined {
  return expectationFrom(run, slice, type, parseSteps(path), 0);
}

/**
 * Walks the definitions from `node` along steps[i..]: a fixed/pattern met on the way answers for the rest
 * of the path; a sliced element whose unsliced definition says nothing is read through its required slices
 * (the core bp profile fixes `code.coding.code` only inside the coding slice).
 */
function expectationFrom(run: Run, node: ElementNode, type: string, steps: Step[], i: number): Expectation | undefined {
  const s = steps[i];
  if (s === undefined) return atEnd(run, node, type, steps);
  const fp = node.fixed ?? node.pattern;
  if (fp && (type === 'value' || type === 'pattern') && s.kind !== 'this') {
    const inner = intoValue(fp.value, steps.slice(i));
    if (inner.length === 1) return { kind: node.fixed ? 'fixed' : 'pattern', steps, value: inner[0] };
  }
  if (s.kind === 'this') return expectationFrom(run, node, type, steps, i + 1);
  if (s.kind === 'resolve') {
    const profiles = node.types.flatMap((t) => t.targetProfiles);
    return type === 'profile' || type === 'type' ? profileOrType(run, type, steps, profiles) : undefined;
  }
  const container = containerFor(run.defs, node, node.types[0]?.code ?? '');
  if (s.kind === 'name') {
    const extProfile = node.types[0]?.code === 'Extension' ? node.types[0].profiles[0] : undefined;
    const own = node.children.find((c) => c.jsonName === s.name);
    if (s.name === 'url' && extProfile && !own?.fixed) return { kind: 'fixed', steps, value: extProfile };
    const child = container?.children.find((c) => c.jsonName === s.name || (c.choice && `${c.jsonName}[x]` === s.name));
    if (!child) return undefined;
    const direct = expectationFrom(run, child, type, steps, i + 1);
    if (direct) return direct;
    for (const sl of child.slices.filter((x) => x.min > 0)) {
      const viaSlice = expectationFrom(run, sl, type, steps, i + 1);
      if (viaSlice) return viaSlice;
    }
    return undefined;
  }
  if (s.kind === 'extension') {
    const ext = container?.children.find((c) => c.jsonName === 'extension');
    const hit = ext?.slices.find((sl) => {
      const e = expectation(run, sl, 'value', 'url');
      return e?.kind === 'fixed' && e.value === s.url;
    });
    return hit ? expectationFrom(run, hit, type, steps, i + 1) : undefined;
  }
  const typed = node.slices.find((sl) => sl.types.length === 1 && sl.types[0]?.code === s.type) ?? node;
  return expectationFrom(run, typed, type, steps, i + 1);
}

function atEnd(run: Run, node: ElementNode, type: string, steps: Step[]): Expectation | undefined {
  if (type === 'value' || type === 'pattern') {
    if (node.fixed) return { kind: 'fixed', steps, value: node.fixed.value };
    if (node.pattern) return { kind: 'pattern', steps, value: node.pattern.value };
    return undefined;
  }
  if (type === 'exists') return node.max === 0 ? { kind: 'exists', steps, exists: false } : node.min > 0 ? { kind: 'exists', steps, exists: true } : undefined;
  return profileOrType(run, type, steps, type === 'profile' ? node.types.flatMap((t) => t.profiles) : node.types.map((t) => t.code));
}

function profileOrType(run: Run, type: string, steps: Step[], urlsOrCodes: string[]): Expectation | undefined {
  if (urlsOrCodes.length === 0) return undefined;
  if (type === 'profile') return { kind: 'profile', steps, profiles: urlsOrCodes };
  const types = urlsOrCodes.map((u) => (u.includes('/') ? (run.defs.structure(u)?.type ?? u) : u));
  return { kind: 'type', steps, types };
}

/** Follows steps through an instance value; the last step keeps arrays whole (for pattern matching). */
function intoInstance(item: SliceItem, steps: readonly Step[], scope: ResourceScope): Found[] {
  let current: Found[] = [{ v: item.value, type: item.type }];
  steps.forEach((s, i) => {
    const last = i === steps.length - 1;
    const flat = current.flatMap((c) => (Array.isArray(c.v) ? c.v.map((v: unknown) => ({ v })) : [c]));
    if (s.kind === 'this') return;
    if (s.kind === 'name') {
      current = flat.flatMap((c): Found[] => {
        if (!isJsonObject(c.v)) return [];
        if (s.name in c.v) return [{ v: c.v[s.name] }];
        const obj = c.v;
        return Object.keys(obj)
          .filter((k) => k.startsWith(s.name) && /^[A-Z]/.test(k.slice(s.name.length)))
          .map((k) => ({ v: obj[k], type: suffixType(k.slice(s.name.length)) }));
      });
      if (!last) current = current.flatMap((c) => (Array.isArray(c.v) ? c.v.map((v: unknown) => ({ v })) : [c]));
    } else if (s.kind === 'extension') {
      current = flat.flatMap((c) =>
        isJsonObject(c.v) && Array.isArray(c.v.extension) ? c.v.extension.filter((e) => isJsonObject(e) && e.url === s.url).map((v: unknown) => ({ v })) : [],
      );
    } else if (s.kind === 'ofType') {
      current = flat.filter((c) => typeOf(c) === s.type);
    } else {
      current = flat.flatMap((c): Found[] => {
        if (!isJsonObject(c.v) || typeof c.v.reference !== 'string') return [];
        const r = resolveReference(c.v.reference, scope);
        return r.kind === 'resolved' ? [{ v: r.resource, ...(typeof r.resource.resourceType === 'string' ? { type: r.resource.resourceType } : {}) }] : [];
      });
    }
  });
  return current;
}

/** Choice suffixes are capitalised type names; primitive ones start lower-case (valueString -> string). */
const PRIMITIVES = new Set(
  'base64Binary boolean canonical code date dateTime decimal id instant integer markdown oid positiveInt string time unsignedInt uri url uuid xhtml'.split(' '),
);
function suffixType(suffix: string): string {
  const lower = suffix.charAt(0).toLowerCase() + suffix.slice(1);
  return PRIMITIVES.has(lower) ? lower : suffix;
}

function typeOf(f: Found): string | undefined {
  if (f.type) return f.type;
  return isJsonObject(f.v) && typeof f.v.resourceType === 'string' ? f.v.resourceType : undefined;
}

function satisfies(run: Run, e: Expectation, found: readonly Found[], scope: ResourceScope): boolean {
  switch (e.kind) {
    case 'fixed':
      return found.some((f) => deepEqual(f.v, e.value) || (Array.isArray(f.v) && !Array.isArray(e.value) && f.v.some((x) => deepEqual(x, e.value))));
    case 'pattern':
      return found.some((f) => matchesPattern(f.v, e.value) || (Array.isArray(f.v) && !Array.isArray(e.value) && f.v.some((x) => matchesPattern(x, e.value))));
    case 'exists':
      return (found.length > 0) === e.exists;
    case 'type':
      return found.some((f) => e.types.includes(typeOf(f) ?? ''));
    case 'profile':
      return found.some((f) => isJsonObject(f.v) && e.profiles.some((p) => run.conforms(f.v as Record<string, unknown>, p, scope)));
  }
}

const expectations = new WeakMap<ElementNode, (Expectation | undefined)[]>();
const discriminatorSteps = new WeakMap<ElementNode, Step[][]>();

/** The parsed path of each discriminator of a sliced element. */
function stepsOf(sliced: ElementNode): Step[][] {
  let hit = discriminatorSteps.get(sliced);
  if (!hit) {
    hit = (sliced.slicing?.discriminators ?? []).map((d) => parseSteps(d.path));
    discriminatorSteps.set(sliced, hit);
  }
  return hit;
}

function expectationsOf(run: Run, sliced: ElementNode, slice: ElementNode): (Expectation | undefined)[] {
  let hit = expectations.get(slice);
  if (!hit) {
    hit = (sliced.slicing?.discriminators ?? []).map((d) => expectation(run, slice, d.type, d.path));
    expectations.set(slice, hit);
  }
  return hit;
}

const codedIndexes = new WeakMap<ElementNode, Map<string, number> | null>();

/**
 * When every slice is told apart by one pattern CodeableConcept holding a single system+code coding (the
 * usual component/category slicing), `system|code` -> slice position: a lookup instead of matching each
 * pattern. Same verdict: such a pattern matches exactly the values that have a coding with that system and code.
 */
function codedIndex(run: Run, sliced: ElementNode): Map<string, number> | null {
  let hit = codedIndexes.get(sliced);
  if (hit !== undefined) return hit;
  hit = new Map<string, number>();
  if (sliced.slicing?.discriminators.length !== 1) hit = null;
  for (let i = 0; hit && i < sliced.slices.length; i += 1) {
    const e = expectationsOf(run, sliced, sliced.slices[i] as ElementNode)[0];
    const coding = e?.kind === 'pattern' && isJsonObject(e.value) && Object.keys(e.value).length === 1 && Array.isArray(e.value.coding) && e.value.coding.length === 1 ? (e.value.coding[0] as unknown) : undefined;
    if (!isJsonObject(coding) || Object.keys(coding).length !== 2 || typeof coding.system !== 'string' || typeof coding.code !== 'string') {
      hit = null;
      break;
    }
    const key = `${coding.system}|${coding.code}`;
    if (!hit.has(key)) hit.set(key, i);
  }
  codedIndexes.set(sliced, hit);
  return hit;
}

function bySystemAndCode(index: Map<string, number>, slices: readonly ElementNode[], found: readonly Found[]): ElementNode | undefined {
  let best = Infinity;
  for (const f of found) {
    const codings = isJsonObject(f.v) && Array.isArray(f.v.coding) ? f.v.coding : [];
    for (const c of codings) {
      if (!isJsonObject(c) || typeof c.system !== 'string' || typeof c.code !== 'string') continue;
      const pos = index.get(`${c.system}|${c.code}`);
      if (pos !== undefined && pos < best) best = pos;
    }
  }
  return slices[best];
}

/** The slice each item belongs to (undefined when none), reporting slice cardinality and rule violations. */
export function assignSlices(run: Run, sliced: ElementNode, items: readonly SliceItem[], itemExpr: (i: number) => string, expr: string, scope: ResourceScope): (ElementNode | undefined)[] {
  const slicing = sliced.slicing;
  const slices = sliced.slices;
  for (const sl of slices) {
    if (expectationsOf(run, sliced, sl).some((e) => e === undefined) || (slicing?.discriminators.length ?? 0) === 0) {
      run.issues.warning('not-supported', `Slice '${sl.sliceName ?? sl.id}' of ${sliced.structure.url}: its discriminator value cannot be determined from the profile, so no item can match it`, expr);
    }
  }
  const steps = stepsOf(sliced);
  const coded = codedIndex(run, sliced);
  const assigned = items.map((item) => {
    if (coded) return bySystemAndCode(coded, slices, intoInstance(item, steps[0] ?? [], scope));
    const found: (Found[] | undefined)[] = [];
    const at = (d: number): Found[] =>
      (found[d] ??= intoInstance(item, steps[d] ?? [], scope).filter((f) => f.v !== null && f.v !== undefined));
    return slices.find((sl) => {
      const exps = expectationsOf(run, sliced, sl);
      return exps.length > 0 && exps.every((e, d) => e !== undefined && satisfies(run, e, at(d), scope));
    });
  });
  for (const sl of slices) {
    const n = assigned.filter((a) => a === sl).length;
    const name = sl.sliceName ?? sl.id;
    if (n < sl.min) run.issues.error('required', `Slice '${name}' requires at least ${sl.min} item(s), found ${n}`, expr);
    if (n > sl.max) run.issues.error('structure', `Slice '${name}' allows at most ${sl.max} item(s), found ${n}`, expr);
  }
  const rules = slicing?.rules ?? 'open';
  let lastSlice = -1;
  let sawUnmatched = false;
  assigned.forEach((sl, i) => {
    if (!sl) {
      if (rules === 'closed') run.issues.error('structure', `Item does not match any slice of ${sliced.path} (closed slicing)`, itemExpr(i));
      sawUnmatched = true;
      return;
    }
    if (rules === 'openAtEnd' && sawUnmatched) run.issues.error('structure', `Item of slice '${sl.sliceName ?? ''}' after unsliced items (openAtEnd)`, itemExpr(i));
    const pos = slices.indexOf(sl);
    if (slicing?.ordered && pos < lastSlice) run.issues.error('structure', `Item of slice '${sl.sliceName ?? ''}' is out of order (ordered slicing)`, itemExpr(i));
    lastSlice = Math.max(lastSlice, pos);
  });
  return assigned;
}

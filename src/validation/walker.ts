/**
 * Walks an instance against compiled snapshot elements: unknown properties, JSON shape, cardinality at
 * every depth, choice-type limits, slicing, primitive `_x` siblings, then each value (value-checks.ts).
 * See: https://hl7.org/fhir/R4/json.html, https://hl7.org/fhir/R4/elementdefinition.html
 */
import { isJsonObject } from '../fhir/json';
import { childByJson, choiceFor, containerFor, type ChildRef } from './children';
import type { ResourceScope, Run } from './context';
import type { Json } from './definitions';
import { childExpression } from './issues';
import { assignSlices } from './slicing';
import type { ElementNode } from './structure';
import { validateValue } from './value-checks';

interface Item {
  readonly value: unknown;
  /** The `_x` companion (id/extension of a primitive), if any. */
  readonly companion: unknown;
  readonly type: string;
  readonly ref: ChildRef;
  readonly expr: string;
}

const UNDERSCORE = 95;

/** Validates every property of `obj` against the children of `container`, and what is missing. */
export function walkProperties(run: Run, obj: Json, container: ElementNode, expr: string, scope: ResourceScope, resourceRoot: boolean): void {
  const children = container.children;
  const groups: (Item[] | undefined)[] = new Array<Item[] | undefined>(children.length);
  let choiceKeys: Map<ElementNode, string[]> | undefined;
  /** Choice elements present only as a type the profile does not allow: reported once, not also as missing. */
  let wrongTypeChoices: Set<ElementNode> | undefined;
  for (const key in obj) {
    if (resourceRoot && key === 'resourceType') continue;
    const isCompanion = key.charCodeAt(0) === UNDERSCORE;
    const name = isCompanion ? key.slice(1) : key;
    if (isCompanion && name in obj) continue;
    const ref = childByJson(container, name);
    if (!ref) {
      const choice = unknownProperty(run, container, key, expr);
      if (choice) (wrongTypeChoices ??= new Set()).add(choice);
      continue;
    }
    const type = resourceRoot && name === 'id' ? 'id' : ref.type;
    const items = collectItems(run, obj, name, ref, type, expr);
    if (!items) continue;
    const existing = groups[ref.index];
    if (existing) {
      existing.push(...items);
      choiceKeys ??= new Map();
      choiceKeys.set(ref.node, [...(choiceKeys.get(ref.node) ?? []), name]);
    } else groups[ref.index] = items;
  }
  for (let c = 0; c < children.length; c += 1) {
    const child = children[c] as ElementNode;
    const items = groups[c];
    const count = items?.length ?? 0;
    if (!items && count >= child.min && count <= child.max && !hasRequiredSlice(child)) continue;
    const at = `${expr}.${child.jsonName}`;
    const extraKeys = choiceKeys?.get(child);
    if (extraKeys) run.issues.error('structure', `Only one ${child.jsonName}[x] may be present (also found ${extraKeys.join(', ')})`, at);
    if (!(count === 0 && wrongTypeChoices?.has(child))) checkCardinality(run, child, count, at);
    if (!items) {
      if (child.slicing) assignSlices(run, child, [], () => at, at, scope);
      continue;
    }
    if (child.slicing && child.slices.length > 0) {
      const slices = assignSlices(run, child, items, (i) => items[i]?.expr ?? at, at, scope);
      items.forEach((item, i) => {
        const slice = slices[i];
        if (slice) {
          validateItem(run, item, slice, scope, false);
          validateItem(run, item, child, scope, true);
        } else validateItem(run, item, child, scope, false);
      });
    } else {
      for (const item of items) validateItem(run, item, child, scope, false);
    }
  }
}

const requiredSlice = new WeakMap<ElementNode, boolean>();

/** Whether a slice of the element has min >= 1 (then even an absent element breaks the slicing). */
function hasRequiredSlice(node: ElementNode): boolean {
  let hit = requiredSlice.get(node);
  if (hit === undefined) {
    hit = node.slices.some((s) => s.min > 0);
    requiredSlice.set(node, hit);
  }
  return hit;
}

function checkCardinality(run: Run, node: ElementNode, count: number, at: string): void {
  const name = node.choice ? `${node.jsonName}[x]` : node.jsonName;
  if (count < node.min) {
    run.issues.error('required', `Missing required element '${name}' (minimum ${node.min}, found ${count})`, at);
  }
  if (count > node.max) {
    const why = node.max === 0 ? `Element '${name}' is not allowed here (maximum 0)` : `Too many '${name}' (maximum ${node.max}, found ${count})`;
    run.issues.error('structure', why, at);
  }
}

/** Reports a property the container does not define; returns the choice element when it is a disallowed choice type. */
function unknownProperty(run: Run, container: ElementNode, key: string, expr: string): ElementNode | undefined {
  const choice = choiceFor(container, key.replace(/^_/, ''));
  if (choice) {
    const allowed = choice.types.map((t) => choice.jsonName + t.code.charAt(0).toUpperCase() + t.code.slice(1));
    run.issues.error('structure', `'${key}' is not allowed: ${choice.jsonName}[x] may only be ${allowed.join(' | ')}`, `${expr}.${choice.jsonName}`);
    return choice;
  }
  run.issues.error('structure', `Unknown element '${key}'`, `${expr}.${key.replace(/^_/, '')}`);
  return undefined;
}

/** The items of one JSON property (array or single), with their `_x` companions, after shape checks. */
function collectItems(run: Run, obj: Json, name: string, ref: ChildRef, type: string, expr: string): Item[] | undefined {
  const node = ref.node;
  const present = name in obj;
  const raw = present ? obj[name] : undefined;
  const companion = obj[`_${name}`];
  const at = `${expr}.${node.jsonName}`;
  if (companion !== undefined && !(run.defs.typeKind(type) === 'primitive-type' && !ref.typeRef?.system)) {
    run.issues.error('structure', `'_${name}' is only allowed for primitive elements`, at);
  }
  const shaped = present ? raw : companion;
  if (Array.isArray(shaped)) {
    if (!node.isArray) run.issues.error('structure', `'${name}' must be a single value, not an array`, at);
    if (shaped.length === 0) run.issues.error('structure', `'${name}' is an empty array (omit it instead)`, at);
    if (present && companion !== undefined && (!Array.isArray(companion) || companion.length !== shaped.length)) {
      run.issues.error('structure', `'_${name}' must be an array of the same length as '${name}'`, at);
    }
    const comps = Array.isArray(companion) ? (companion as unknown[]) : [];
    return shaped.map((v: unknown, i) => ({
      value: present ? v : undefined,
      companion: present ? comps[i] : v,
      type,
      ref,
      expr: childExpression(expr, node.jsonName, i),
    }));
  }
  if (shaped === null) {
    run.issues.error('structure', `'${name}' is null (omit it instead)`, at);
    return undefined;
  }
  if (node.isArray) run.issues.error('structure', `'${name}' must be an array`, at);
  if (present && Array.isArray(companion)) run.issues.error('structure', `'_${name}' must not be an array`, at);
  return [{ value: raw, companion, type, ref, expr: at }];
}

/** One item against one element definition (a slice, the sliced element, a type slice). */
function validateItem(run: Run, item: Item, node: ElementNode, scope: ResourceScope, elementOnly: boolean): void {
  const { value, companion } = item;
  if (value === null || value === undefined) {
    const hasExt = isJsonObject(companion) && Array.isArray(companion.extension) && companion.extension.length > 0;
    if (!hasExt) run.issues.error('invariant', 'ele-1: All FHIR elements must have a @value or children', item.expr);
  } else {
    validateValue(run, { value, node, type: item.type, typeRef: item.ref.typeRef, expr: item.expr, scope, elementOnly });
    if (item.ref.typeSlice && !elementOnly) {
      validateValue(run, { value, node: item.ref.typeSlice, type: item.type, typeRef: item.ref.typeRef, expr: item.expr, scope, elementOnly });
    }
  }
  if (companion !== undefined && companion !== null && !elementOnly) validateCompanion(run, companion, node, item.type, item.expr, scope);
}

/** A primitive's `_x` object: only id and extension. */
function validateCompanion(run: Run, companion: unknown, node: ElementNode, type: string, expr: string, scope: ResourceScope): void {
  if (!isJsonObject(companion)) {
    run.issues.error('structure', 'The extension part of a primitive must be an object with id/extension', expr);
    return;
  }
  if ('value' in companion) run.issues.error('structure', `Unknown element 'value'`, `${expr}.value`);
  const container = containerFor(run.defs, node, type);
  if (!container) return;
  const rest: Json = { ...companion };
  delete rest.value;
  walkProperties(run, rest, container, expr, scope, false);
}

export { childExpression };

/**
 * Which element definitions describe an object's properties: the snapshot's own children, a slice's
 * sliced element, a contentReference target, or the datatype's StructureDefinition; and the JSON name
 * index over them (choice elements expanded to `valueQuantity`, `valueString`, ...).
 * See: https://hl7.org/fhir/R4/json.html#choice
 */
import type { Definitions } from './definitions';
import type { ElementNode, TypeRef } from './structure';

export interface ChildRef {
  readonly node: ElementNode;
  /** Position of `node` in the container's children. */
  readonly index: number;
  /** The type this JSON property carries (`Quantity` for `valueQuantity`). */
  readonly type: string;
  readonly typeRef?: TypeRef;
  /** A type slice of a choice element (`value[x]:valueQuantity`), when the profile has one. */
  readonly typeSlice?: ElementNode;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The type code an element carries when it is not a choice (`BackboneElement` when it has none). */
function singleType(node: ElementNode): TypeRef | undefined {
  return node.types[0];
}

export function isResourceKind(defs: Definitions, type: string): boolean {
  return type === 'Resource' || type === 'DomainResource' || defs.isResourceType(type);
}

const containers = new WeakMap<ElementNode, Map<string, ElementNode | null>>();

/** The node whose `children` define the properties of a value of `type` at `node`. */
export function containerFor(defs: Definitions, node: ElementNode, type: string): ElementNode | undefined {
  let perType = containers.get(node);
  if (!perType) {
    perType = new Map();
    containers.set(node, perType);
  }
  const hit = perType.get(type);
  if (hit !== undefined) return hit ?? undefined;
  const found = findContainer(defs, node, type);
  perType.set(type, found ?? null);
  return found;
}

function findContainer(defs: Definitions, node: ElementNode, type: string): ElementNode | undefined {
  if (node.children.length > 0) return node;
  if (node.slicedFrom) return containerFor(defs, node.slicedFrom, type);
  if (node.contentReference) {
    const target = node.structure.byId.get(node.contentReference.replace(/^[^#]*#/, ''));
    return target ? containerFor(defs, target, type) : undefined;
  }
  if (type === '' || type === 'BackboneElement' || type === 'Element') return undefined;
  return defs.typeStructure(type)?.root;
}

const childIndexes = new WeakMap<ElementNode, Map<string, ChildRef>>();

/** The definition of the JSON property `key` inside a value described by `container`. */
export function childByJson(container: ElementNode, key: string): ChildRef | undefined {
  let index = childIndexes.get(container);
  if (!index) {
    index = buildIndex(container);
    childIndexes.set(container, index);
  }
  return index.get(key);
}

function buildIndex(container: ElementNode): Map<string, ChildRef> {
  const index = new Map<string, ChildRef>();
  container.children.forEach((child, position) => {
    if (!child.choice) {
      const t = singleType(child);
      index.set(child.jsonName, { node: child, index: position, type: t?.code ?? '', ...(t ? { typeRef: t } : {}) });
      return;
    }
    for (const t of child.types) {
      const key = child.jsonName + capitalize(t.code);
      const typeSlice = child.slices.find((s) => s.sliceName === key || (s.types.length > 0 && s.types.every((st) => st.code === t.code)));
      index.set(key, { node: child, index: position, type: t.code, typeRef: t, ...(typeSlice ? { typeSlice } : {}) });
    }
  });
  return index;
}

/** For an unknown `valueString` under a choice `value[x]`: the choice element, so the message can say so. */
export function choiceFor(container: ElementNode, key: string): ElementNode | undefined {
  return container.children.find(
    (c) => c.choice && key.startsWith(c.jsonName) && /^[A-Z]/.test(key.slice(c.jsonName.length)),
  );
}

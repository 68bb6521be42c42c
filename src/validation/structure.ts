/**
 * A StructureDefinition snapshot compiled once into a tree of element nodes (children and slices by id),
 * so the walker never re-scans the snapshot.
 * See: https://hl7.org/fhir/R4/elementdefinition.html
 */
import { isJsonObject, strings, type JsonObject as Json } from '../fhir/json';

export interface TypeRef {
  readonly code: string;
  readonly profiles: readonly string[];
  readonly targetProfiles: readonly string[];
  /** A FHIRPath system type (Element.id, Extension.url, Resource.id): no `_x` sibling allowed. */
  readonly system: boolean;
}

export interface Constraint {
  readonly key: string;
  readonly severity: 'error' | 'warning';
  readonly human: string;
  readonly expression?: string;
}

export interface Discriminator {
  readonly type: string;
  readonly path: string;
}

export interface Slicing {
  readonly discriminators: readonly Discriminator[];
  readonly rules: string;
  readonly ordered: boolean;
}

/** A fixed[x], pattern[x], minValue[x] or maxValue[x]: the value and its type suffix. */
export interface TypedValue {
  readonly type: string;
  readonly value: unknown;
}

export interface ElementNode {
  readonly structure: Structure;
  readonly id: string;
  readonly path: string;
  /** The JSON property name without `[x]` (`value` for `value[x]`). */
  readonly jsonName: string;
  readonly choice: boolean;
  readonly sliceName?: string;
  readonly min: number;
  /** Infinity for `*`. */
  readonly max: number;
  /** Whether JSON represents the element as an array (from the base definition's max). */
  readonly isArray: boolean;
  readonly types: readonly TypeRef[];
  readonly fixed?: TypedValue;
  readonly pattern?: TypedValue;
  readonly minValue?: TypedValue;
  readonly maxValue?: TypedValue;
  readonly maxLength?: number;
  readonly binding?: { readonly strength: string; readonly valueSet?: string };
  readonly constraints: readonly Constraint[];
  readonly contentReference?: string;
  readonly slicing?: Slicing;
  readonly children: ElementNode[];
  readonly slices: ElementNode[];
  slicedFrom?: ElementNode;
}

export interface Structure {
  readonly url: string;
  readonly name: string;
  /** The type it constrains or defines (`Observation`, `Extension`, `Quantity`). */
  readonly type: string;
  readonly kind: string;
  readonly derivation: string;
  /** Where an extension may be used (StructureDefinition.context), `[x]` removed from expressions. */
  readonly context: readonly { readonly type: string; readonly expression: string }[];
  readonly root: ElementNode;
  readonly byId: ReadonlyMap<string, ElementNode>;
}

const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const SYSTEM_TYPES: Record<string, string> = {
  'http://hl7.org/fhirpath/System.String': 'string',
  'http://hl7.org/fhirpath/System.Boolean': 'boolean',
  'http://hl7.org/fhirpath/System.Integer': 'integer',
  'http://hl7.org/fhirpath/System.Decimal': 'decimal',
  'http://hl7.org/fhirpath/System.Date': 'date',
  'http://hl7.org/fhirpath/System.DateTime': 'dateTime',
  'http://hl7.org/fhirpath/System.Time': 'time',
};

function typeRefs(el: Json): TypeRef[] {
  const raw = Array.isArray(el.type) ? el.type.filter(isJsonObject) : [];
  return raw.map((t) => {
    const code = typeof t.code === 'string' ? t.code : '';
    const ext = Array.isArray(t.extension) ? t.extension.filter(isJsonObject).find((e) => e.url === FHIR_TYPE_EXT) : undefined;
    const declared = ext && typeof (ext.valueUrl ?? ext.valueUri) === 'string' ? String(ext.valueUrl ?? ext.valueUri) : undefined;
    const system = code in SYSTEM_TYPES;
    return {
      code: system ? (declared ?? SYSTEM_TYPES[code] ?? 'string') : code,
      profiles: strings(t.profile),
      targetProfiles: strings(t.targetProfile),
      system,
    };
  });
}

function typedValue(el: Json, prefix: string): TypedValue | undefined {
  for (const key of Object.keys(el)) {
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key.charAt(prefix.length))) {
      return { type: key.slice(prefix.length), value: el[key] };
    }
  }
  return undefined;
}

function constraints(el: Json): Constraint[] {
  const raw = Array.isArray(el.constraint) ? el.constraint.filter(isJsonObject) : [];
  return raw.map((c) => ({
    key: String(c.key),
    severity: c.severity === 'warning' ? 'warning' : 'error',
    human: typeof c.human === 'string' ? c.human : '',
    ...(typeof c.expression === 'string' ? { expression: c.expression } : {}),
  }));
}

function slicing(el: Json): Slicing | undefined {
  const s = el.slicing;
  if (!isJsonObject(s)) return undefined;
  const discriminators = (Array.isArray(s.discriminator) ? s.discriminator.filter(isJsonObject) : []).map((d) => ({
    type: String(d.type),
    path: String(d.path),
  }));
  return { discriminators, rules: typeof s.rules === 'string' ? s.rules : 'open', ordered: s.ordered === true };
}

const parseMax = (m: unknown): number => (m === '*' ? Infinity : typeof m === 'string' ? Number(m) : Infinity);

/** Splits an element id into segments, keeping slice names that contain dots whole. */
function idSegments(id: string, path: string): string[] {
  const pieces = id.split('.');
  const want = path.split('.').length;
  if (pieces.length === want) return pieces;
  const out: string[] = [];
  pieces.forEach((p, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last.includes(':') && pieces.length - i > want - out.length) out[out.length - 1] = `${last}.${p}`;
    else out.push(p);
  });
  return out;
}

function makeNode(structure: Structure, el: Json): ElementNode {
  const path = String(el.path);
  const id = typeof el.id === 'string' ? el.id : path;
  const last = path.slice(path.lastIndexOf('.') + 1);
  const choice = last.endsWith('[x]');
  const base = isJsonObject(el.base) ? el.base : {};
  const binding = isJsonObject(el.binding) ? el.binding : undefined;
  const max = parseMax(el.max);
  const baseMax = base.max !== undefined ? parseMax(base.max) : max;
  const node: ElementNode = {
    structure,
    id,
    path,
    jsonName: choice ? last.slice(0, -3) : last,
    choice,
    min: typeof el.min === 'number' ? el.min : 0,
    max,
    isArray: baseMax > 1,
    types: typeRefs(el),
    constraints: constraints(el),
    children: [],
    slices: [],
  };
  const extra: Partial<{ -readonly [K in keyof ElementNode]: ElementNode[K] }> = {};
  if (typeof el.sliceName === 'string') extra.sliceName = el.sliceName;
  const fixed = typedValue(el, 'fixed');
  if (fixed) extra.fixed = fixed;
  const pattern = typedValue(el, 'pattern');
  if (pattern) extra.pattern = pattern;
  const minValue = typedValue(el, 'minValue');
  if (minValue) extra.minValue = minValue;
  const maxValue = typedValue(el, 'maxValue');
  if (maxValue) extra.maxValue = maxValue;
  if (typeof el.maxLength === 'number') extra.maxLength = el.maxLength;
  if (binding && typeof binding.strength === 'string') {
    extra.binding = {
      strength: binding.strength,
      ...(typeof binding.valueSet === 'string' ? { valueSet: binding.valueSet } : {}),
    };
  }
  if (typeof el.contentReference === 'string') extra.contentReference = el.contentReference;
  const s = slicing(el);
  if (s) extra.slicing = s;
  return Object.assign(node, extra);
}

/** Compiles a StructureDefinition (with snapshot) into its element tree. */
export function compileStructure(sd: Json): Structure {
  const snapshot = isJsonObject(sd.snapshot) && Array.isArray(sd.snapshot.element) ? sd.snapshot.element.filter(isJsonObject) : [];
  const byId = new Map<string, ElementNode>();
  const structure = {
    url: String(sd.url),
    name: typeof sd.name === 'string' ? sd.name : String(sd.id),
    type: String(sd.type),
    kind: String(sd.kind),
    derivation: typeof sd.derivation === 'string' ? sd.derivation : 'specialization',
    context: (Array.isArray(sd.context) ? sd.context.filter(isJsonObject) : []).map((c) => ({
      type: typeof c.type === 'string' ? c.type : '',
      expression: typeof c.expression === 'string' ? c.expression.replace(/\[x\]/g, '') : '',
    })),
    byId,
  } as Omit<Structure, 'root'> as Structure;
  let root: ElementNode | undefined;
  for (const el of snapshot) {
    const node = makeNode(structure, el);
    byId.set(node.id, node);
    const segs = idSegments(node.id, node.path);
    const lastSeg = segs[segs.length - 1] ?? '';
    const colon = lastSeg.indexOf(':');
    if (segs.length === 1 && colon < 0) {
      root ??= node;
      continue;
    }
    if (colon >= 0) {
      const sliceName = lastSeg.slice(colon + 1);
      const slash = sliceName.lastIndexOf('/');
      const fromSeg = slash >= 0 ? `${lastSeg.slice(0, colon)}:${sliceName.slice(0, slash)}` : lastSeg.slice(0, colon);
      const from = byId.get([...segs.slice(0, -1), fromSeg].join('.'));
      if (from) {
        from.slices.push(node);
        node.slicedFrom = from;
      }
      continue;
    }
    byId.get(segs.slice(0, -1).join('.'))?.children.push(node);
  }
  if (!root) throw new Error(`StructureDefinition ${String(sd.url)} has no snapshot`);
  (structure as { root: ElementNode }).root = root;
  return structure;
}

/**
 * Core R4 invariants evaluated in TypeScript instead of fhirpath.js, each for a stated reason; every one
 * applies only when the constraint's expression is exactly the core text below (else fhirpath runs).
 * See: https://hl7.org/fhir/R4/element.html#invs, https://hl7.org/fhir/R4/domainresource.html#invs
 */
import { isJsonObject, type JsonObject as Json } from '../fhir/json';
import type { ResourceScope } from './context';
import { resolveReference } from './references';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export interface NativeInvariant {
  /** The exact core expression this replaces. */
  readonly expression: string;
  readonly why: string;
  readonly evaluate: (value: unknown, scope: ResourceScope) => boolean;
}

/** Elements allowed in narrative xhtml (HTML 4.0 chapters 7-11 subset named by txt-1). */
const XHTML_ELEMENTS = new Set(
  ('p br div h1 h2 h3 h4 h5 h6 a span b em i strong small big tt dfn q var abbr acronym cite blockquote hr ' +
    'address bdo kbd sub sup ul ol li dl dt dd pre table caption colgroup col thead tr tfoot tbody th td ' +
    'code samp img map area').split(' '),
);

/** txt-1: only basic html formatting, no scripts, event handlers or active content; xhtml namespace on the div. */
function narrativeHtmlOk(div: unknown): boolean {
  if (typeof div !== 'string') return false;
  const open = /^\s*<div\b([^>]*)>/.exec(div);
  if (!open || !/xmlns\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(open[1] ?? '')) return false;
  for (const m of div.matchAll(/<\s*([A-Za-z][A-Za-z0-9:]*)([^>]*)>/g)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!XHTML_ELEMENTS.has(name)) return false;
    const attrs = m[2] ?? '';
    if (/(^|\s)on[a-z]+\s*=/i.test(attrs) || /javascript:/i.test(attrs)) return false;
  }
  return true;
}

/** txt-2: the narrative has some non-whitespace content (text or an image). */
function narrativeHasContent(div: unknown): boolean {
  if (typeof div !== 'string') return false;
  if (/<img\b/i.test(div)) return true;
  return div.replace(/<[^>]*>/g, '').replace(/&nbsp;|&#160;/g, ' ').trim().length > 0;
}

/** Every string starting with `#` anywhere in a resource (references, canonicals, uris), narrative excluded. */
function localRefs(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') {
    if (value.startsWith('#')) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) localRefs(v, out);
  } else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) if (k !== 'div') localRefs(v, out);
  }
  return out;
}

const contained = (r: unknown): Json[] => (isJsonObject(r) ? list(r.contained).filter(isJsonObject) : []);
const entries = (b: unknown): Json[] => (isJsonObject(b) ? list(b.entry).filter(isJsonObject) : []);
const bundleType = (b: unknown): string => (isJsonObject(b) && typeof b.type === 'string' ? b.type : '');

export const NATIVE_INVARIANTS: Readonly<Record<string, NativeInvariant>> = {
  'ele-1': {
    expression: 'hasValue() or (children().count() > id.count())',
    why: 'runs on every element; an element needs a value or a child other than id (primitive `_x` checked by the walker)',
    evaluate: (v) => !isJsonObject(v) || Object.keys(v).some((k) => k !== 'id'),
  },
  'ext-1': {
    expression: 'extension.exists() != value.exists()',
    why: 'runs on every extension; same semantics, no fhirpath round trip',
    evaluate: (v) => {
      if (!isJsonObject(v)) return true;
      const hasExt = Array.isArray(v.extension) && v.extension.length > 0;
      const hasValue = Object.keys(v).some((k) => /^_?value[A-Z]/.test(k));
      return hasExt !== hasValue;
    },
  },
  'dom-2': {
    expression: 'contained.contained.empty()',
    why: 'runs on every resource; trivially true without contained resources',
    evaluate: (v) => contained(v).every((c) => list(c.contained).length === 0),
  },
  'dom-3': {
    expression:
      "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
    why: "fhirpath.js throws on `descendants().as(canonical)` (singleton required); every contained id must be referenced as '#id'",
    evaluate: (v, scope) => {
      const all = contained(v);
      if (all.length === 0) return true;
      const refs = localRefs(scope.resource, new Set());
      return all.every((c) => (typeof c.id === 'string' && refs.has(`#${c.id}`)) || localRefs(c, new Set()).has('#'));
    },
  },
  'dom-4': {
    expression: 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()',
    why: 'runs on every resource; trivially true without contained resources',
    evaluate: (v) => contained(v).every((c) => !isJsonObject(c.meta) || (c.meta.versionId === undefined && c.meta.lastUpdated === undefined)),
  },
  'dom-5': {
    expression: 'contained.meta.security.empty()',
    why: 'runs on every resource; trivially true without contained resources',
    evaluate: (v) => contained(v).every((c) => !isJsonObject(c.meta) || list(c.meta.security).length === 0),
  },
  'dom-6': {
    expression: 'text.`div`.exists()',
    why: 'runs on every resource (best-practice warning)',
    evaluate: (v) => isJsonObject(v) && isJsonObject(v.text) && v.text.div !== undefined,
  },
  'ref-1': {
    expression:
      "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
    why: 'as published it fails on a Reference without `reference` (display- or identifier-only), which R4 allows; the HL7 validator patches it the same way (reference.exists() implies ...); `#` alone points at the container from a contained resource',
    evaluate: (v, scope) => {
      if (!isJsonObject(v) || typeof v.reference !== 'string' || !v.reference.startsWith('#')) return true;
      if (v.reference === '#') return scope.resource !== scope.rootResource;
      const id = v.reference.slice(1);
      return contained(scope.rootResource).some((c) => c.id === id);
    },
  },
  'ctm-1': {
    expression: 'onBehalfOf.exists() implies (member.resolve().iif(empty(), true, ofType(Practitioner).exists()))',
    why: 'resolve() is asynchronous in fhirpath.js; resolved here against contained resources and the Bundle (unresolvable = true, as the expression says)',
    evaluate: (v, scope) => {
      if (!isJsonObject(v) || v.onBehalfOf === undefined) return true;
      const member = v.member;
      if (!isJsonObject(member) || typeof member.reference !== 'string') return true;
      const r = resolveReference(member.reference, scope);
      return r.kind !== 'resolved' || r.resource.resourceType === 'Practitioner';
    },
  },
  'qty-3': {
    expression: 'code.empty() or system.exists()',
    why: 'runs on every Quantity (Age, Duration, SimpleQuantity...); a coded unit needs its system',
    evaluate: (v) => !isJsonObject(v) || v.code === undefined || v.system !== undefined || v._system !== undefined,
  },
  'ras-2': {
    expression: 'probability is decimal implies (probability as decimal) <= 100',
    why: "fhirpath.js gives empty for `{} is decimal` where the HL7 validator gives false, so a prediction without probability failed",
    evaluate: (v) => !isJsonObject(v) || typeof v.probabilityDecimal !== 'number' || v.probabilityDecimal <= 100,
  },
  'que-7': {
    expression: "operator = 'exists' implies (answer is Boolean)",
    why: 'fhirpath.js does not match FHIR boolean against the System type name `Boolean`; the HL7 validator does',
    evaluate: (v) => !isJsonObject(v) || v.operator !== 'exists' || typeof v.answerBoolean === 'boolean',
  },
  'bdl-3': {
    expression: "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))",
    why: 'iterates every entry of every Bundle; same rule without a fhirpath round trip per entry',
    evaluate: (v) => entries(v).every((e) => (e.request !== undefined) === ['batch', 'transaction', 'history'].includes(bundleType(v))),
  },
  'bdl-4': {
    expression: "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))",
    why: 'iterates every entry of every Bundle',
    evaluate: (v) => entries(v).every((e) => (e.response !== undefined) === ['batch-response', 'transaction-response', 'history'].includes(bundleType(v))),
  },
  'bdl-5': {
    expression: 'resource.exists() or request.exists() or response.exists()',
    why: 'runs on every Bundle entry',
    evaluate: (v) => !isJsonObject(v) || v.resource !== undefined || v.request !== undefined || v.response !== undefined,
  },
  'bdl-7': {
    expression: "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
    why: 'iterates every entry of every Bundle; fullUrl plus versionId (empty when absent, as & does) must be unique',
    evaluate: (v) => {
      if (bundleType(v) === 'history') return true;
      const keys = entries(v)
        .filter((e) => typeof e.fullUrl === 'string')
        .map((e) => {
          const meta = isJsonObject(e.resource) && isJsonObject(e.resource.meta) ? e.resource.meta : {};
          return `${String(e.fullUrl)}${typeof meta.versionId === 'string' ? meta.versionId : ''}`;
        });
      return new Set(keys).size === keys.length;
    },
  },
  'bdl-8': {
    expression: "fullUrl.exists() implies fullUrl.contains('/_history/').not()",
    why: 'runs on every Bundle entry',
    evaluate: (v) => !isJsonObject(v) || typeof v.fullUrl !== 'string' || !v.fullUrl.includes('/_history/'),
  },
  'txt-1': {
    expression: 'htmlChecks()',
    why: 'fhirpath.js returns empty for htmlChecks() (a FHIR-specific function), which would fail every narrative',
    evaluate: (v) => narrativeHtmlOk(isJsonObject(v) ? v.div : v),
  },
  'txt-2': {
    expression: 'htmlChecks()',
    why: 'fhirpath.js returns empty for htmlChecks(), which would fail every narrative',
    evaluate: (v) => narrativeHasContent(isJsonObject(v) ? v.div : v),
  },
};

/**
 * ValueSet membership from enumerable definitions: compose.include concept lists, whole complete
 * CodeSystems and is-a/descendent-of filters; "unknown" when a ValueSet cannot be enumerated here
 * (UCUM, BCP-47, mime types, SNOMED, LOINC), so no error is raised on what we cannot know.
 * See: https://hl7.org/fhir/R4/valueset.html#compose
 */
import { isJsonObject } from '../fhir/json';
import { canonicalUrl, type Definitions, type Json } from './definitions';

export type Membership = 'member' | 'not-member' | 'unknown';

interface Expansion {
  /** `system|code` pairs. */
  readonly pairs: ReadonlySet<string>;
  /** Codes alone, for `code`-typed elements (the system is implied by the binding). */
  readonly codes: ReadonlySet<string>;
  /** False when part of the ValueSet could not be enumerated. */
  readonly complete: boolean;
}

interface SystemIndex {
  readonly codes: ReadonlySet<string>;
  /** The codes as looked up (lower-cased when the CodeSystem is not case-sensitive). */
  readonly lookup: ReadonlySet<string>;
  readonly caseSensitive: boolean;
  readonly complete: boolean;
  /** code -> its direct children (for is-a / descendent-of filters). */
  readonly children: ReadonlyMap<string, readonly string[]>;
}

const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);

class Builder {
  readonly pairs = new Set<string>();
  readonly codes = new Set<string>();
  complete = true;
  add(system: string, code: string): void {
    this.pairs.add(`${system}|${code}`);
    this.codes.add(code);
  }
}

export class Terminology {
  private readonly expansions = new Map<string, Expansion | null>();
  private readonly systems = new Map<string, SystemIndex | null>();

  constructor(private readonly defs: Definitions) {}

  /** Whether the code (with its system when given) is in the ValueSet. */
  member(valueSet: string, system: string | undefined, code: string): Membership {
    const exp = this.expand(canonicalUrl(valueSet), new Set());
    if (!exp) return 'unknown';
    const found = system === undefined ? exp.codes.has(code) : exp.pairs.has(`${system}|${code}`);
    if (found) return 'member';
    return exp.complete ? 'not-member' : 'unknown';
  }

  /** Whether a code exists in a CodeSystem we hold completely. */
  inCodeSystem(system: string, code: string): Membership {
    const cs = this.system(system);
    if (!cs?.complete) return 'unknown';
    return cs.lookup.has(cs.caseSensitive ? code : code.toLowerCase()) ? 'member' : 'not-member';
  }

  private system(url: string): SystemIndex | undefined {
    const hit = this.systems.get(url);
    if (hit !== undefined) return hit ?? undefined;
    const cs = this.defs.codeSystem(url);
    let built: SystemIndex | null = null;
    if (cs) {
      const caseSensitive = cs.caseSensitive !== false;
      const codes = new Set<string>();
      const lookup = new Set<string>();
      const children = new Map<string, string[]>();
      const walk = (concepts: Json[], parent?: string): void => {
        for (const c of concepts) {
          if (typeof c.code !== 'string') continue;
          codes.add(c.code);
          lookup.add(caseSensitive ? c.code : c.code.toLowerCase());
          if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), c.code]);
          walk(arr(c.concept), c.code);
        }
      };
      walk(arr(cs.concept));
      built = { codes, lookup, caseSensitive, complete: cs.content === 'complete' && codes.size > 0, children };
    }
    this.systems.set(url, built);
    return built ?? undefined;
  }

  private expand(url: string, visiting: Set<string>): Expansion | undefined {
    const hit = this.expansions.get(url);
    if (hit !== undefined) return hit ?? undefined;
    if (visiting.has(url)) return undefined;
    visiting.add(url);
    const vs = this.defs.valueSet(url);
    const built = vs ? this.build(vs, visiting) : undefined;
    this.expansions.set(url, built ?? null);
    return built;
  }

  private build(vs: Json, visiting: Set<string>): Expansion | undefined {
    const b = new Builder();
    const compose = isJsonObject(vs.compose) ? vs.compose : undefined;
    if (!compose) {
      const contains = isJsonObject(vs.expansion) ? arr(vs.expansion.contains) : [];
      if (contains.length === 0) return undefined;
      const walk = (items: Json[]): void => {
        for (const c of items) {
          if (typeof c.system === 'string' && typeof c.code === 'string') b.add(c.system, c.code);
          walk(arr(c.contains));
        }
      };
      walk(contains);
      return b;
    }
    for (const inc of arr(compose.include)) this.include(inc, b, visiting);
    const excluded = new Builder();
    for (const exc of arr(compose.exclude)) this.include(exc, excluded, visiting);
    if (!excluded.complete) return undefined;
    for (const p of excluded.pairs) b.pairs.delete(p);
    if (excluded.pairs.size > 0) {
      b.codes.clear();
      for (const p of b.pairs) b.codes.add(p.slice(p.lastIndexOf('|') + 1));
    }
    return b;
  }

  private include(inc: Json, b: Builder, visiting: Set<string>): void {
    const fromSets = Array.isArray(inc.valueSet) ? inc.valueSet.filter((v): v is string => typeof v === 'string') : [];
    const system = typeof inc.system === 'string' ? inc.system : undefined;
    const own = system === undefined ? undefined : this.fromSystem(system, inc);
    if (system !== undefined && own === undefined) {
      b.complete = false;
      return;
    }
    let selected = own ? [...own].map((code) => `${system ?? ''}|${code}`) : undefined;
    for (const ref of fromSets) {
      const exp = this.expand(canonicalUrl(ref), visiting);
      if (!exp) {
        b.complete = false;
        return;
      }
      if (!exp.complete) b.complete = false;
      selected = selected ? selected.filter((p) => exp.pairs.has(p)) : [...exp.pairs];
    }
    for (const p of selected ?? []) {
      const bar = p.lastIndexOf('|');
      b.add(p.slice(0, bar), p.slice(bar + 1));
    }
  }

  /** The codes an include selects from one system, or undefined when not enumerable here. */
  private fromSystem(system: string, inc: Json): Set<string> | undefined {
    const listed = arr(inc.concept)
      .map((c) => c.code)
      .filter((c): c is string => typeof c === 'string');
    const filters = arr(inc.filter);
    if (listed.length > 0 && filters.length === 0) return new Set(listed);
    const cs = this.system(system);
    if (!cs?.complete) return undefined;
    let codes: Set<string> = listed.length > 0 ? new Set(listed) : new Set(cs.codes);
    for (const f of filters) {
      const narrowed = this.applyFilter(cs, f);
      if (!narrowed) return undefined;
      codes = new Set([...codes].filter((c) => narrowed.has(c)));
    }
    return codes;
  }

  private applyFilter(cs: SystemIndex, f: Json): Set<string> | undefined {
    if (f.property !== 'concept' || typeof f.value !== 'string') return undefined;
    const descendants = (root: string): Set<string> => {
      const out = new Set<string>();
      const stack = [...(cs.children.get(root) ?? [])];
      while (stack.length > 0) {
        const c = stack.pop() as string;
        if (out.has(c)) continue;
        out.add(c);
        stack.push(...(cs.children.get(c) ?? []));
      }
      return out;
    };
    if (f.op === 'is-a') return new Set([f.value, ...descendants(f.value)]);
    if (f.op === 'descendent-of') return descendants(f.value);
    if (f.op === 'is-not-a') {
      const excluded = new Set([f.value, ...descendants(f.value)]);
      return new Set([...cs.codes].filter((c) => !excluded.has(c)));
    }
    return undefined;
  }
}

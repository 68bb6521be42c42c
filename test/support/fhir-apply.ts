/**
 * Applies a FHIR transaction Bundle to a collection Bundle of resources the way an atomic FHIR server
 * would: POST creates (new id, versionId 1), conditional create by `ifNoneExist: _tag=system|code`,
 * PUT honouring `ifMatch` (W/"n" must equal the current versionId, else 412 and nothing is applied),
 * `urn:uuid` references rewritten to the assigned ids. Returns a new Bundle; never mutates its inputs.
 * See: https://hl7.org/fhir/R4/http.html#transaction
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';

/** The HTTP-like failure of a transaction (e.g. 412 on a stale ifMatch); nothing was applied. */
export class TransactionError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly entryIndex?: number,
  ) {
    super(message);
    this.name = 'TransactionError';
  }
}

export interface ApplyOptions {
  /** Base of new entries' fullUrls (default: https://example.org/fhir). */
  base?: string;
}

/** What happened to each transaction entry, in entry order. */
export interface EntryOutcome {
  status: '200' | '201';
  location: string;
  /** True when the entry changed the store (a create or an update). */
  changed: boolean;
}

export interface ApplyResult {
  bundle: Bundle;
  outcomes: EntryOutcome[];
}

type Store = Map<string, Resource>;

const key = (type: string, id: string): string => `${type}/${id}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `reference` string in a resource replaced through `map` (resource already copied). */
function rewriteReferences(node: unknown, map: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteReferences(item, map);
    return;
  }
  if (!isRecord(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'reference' && typeof v === 'string' && map.has(v)) node[k] = map.get(v);
    else rewriteReferences(v, map);
  }
}

/** Parses `_tag=system|code` (several `&`-joined parameters all must match). */
function matchesCondition(resource: Resource, type: string, query: string, index: number): boolean {
  if (resource.resourceType !== type) return false;
  return query.split('&').every((param) => {
    const [name, rawValue] = param.split('=');
    if (name !== '_tag' || rawValue === undefined) {
      throw new TransactionError(400, `unsupported ifNoneExist parameter '${param}'`, index);
    }
    const value = decodeURIComponent(rawValue);
    const bar = value.lastIndexOf('|');
    const system = bar < 0 ? undefined : value.slice(0, bar);
    const code = bar < 0 ? value : value.slice(bar + 1);
    return (resource.meta?.tag ?? []).some((t) => t.code === code && (system === undefined || t.system === system));
  });
}

function parseUrl(url: string | undefined, index: number): { type: string; id?: string } {
  const [type, id] = (url ?? '').split('?')[0]?.split('/') ?? [];
  if (type === undefined || type === '') throw new TransactionError(400, `entry ${index}: request.url missing`, index);
  return id === undefined || id === '' ? { type } : { type, id };
}

function newId(store: Store, type: string, counter: { n: number }): string {
  let id: string;
  do {
    counter.n += 1;
    id = `${type.toLowerCase()}-srv-${counter.n}`;
  } while (store.has(key(type, id)));
  return id;
}

const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/** Applies `transaction` to `collection` atomically; throws TransactionError and applies nothing on failure. */
export function applyTransaction(collection: Bundle, transaction: Bundle, options: ApplyOptions = {}): ApplyResult {
  if (transaction.type !== 'transaction') throw new TransactionError(400, `Bundle.type is '${transaction.type}', not 'transaction'`);
  const base = options.base ?? 'https://example.org/fhir';
  const store: Store = new Map();
  const order: string[] = [];
  for (const e of collection.entry ?? []) {
    if (e.resource?.id === undefined) continue;
    const k = key(e.resource.resourceType, e.resource.id);
    if (!store.has(k)) order.push(k);
    store.set(k, structuredClone(e.resource));
  }
  const entries = (transaction.entry ?? []).map((e, index) => ({ e, index }));
  const sorted = [...entries].sort((a, b) => (ORDER[a.e.request?.method ?? ''] ?? 9) - (ORDER[b.e.request?.method ?? ''] ?? 9));
  const outcomes: EntryOutcome[] = [];
  const urnMap = new Map<string, string>();
  const counter = { n: store.size };
  const planned: { index: number; k: string; resource: Resource; outcome: EntryOutcome }[] = [];

  // First pass: resolve ids and conditions (so every urn:uuid is known before references are rewritten).
  for (const { e, index } of sorted) {
    const method = e.request?.method;
    const resource = e.resource === undefined ? undefined : structuredClone(e.resource);
    if (method === 'GET' || method === 'HEAD') continue;
    if (method !== 'POST' && method !== 'PUT') throw new TransactionError(400, `entry ${index}: method ${method} not supported`, index);
    if (resource === undefined) throw new TransactionError(400, `entry ${index}: ${method} without a resource`, index);
    const { type, id: urlId } = parseUrl(e.request?.url, index);
    if (resource.resourceType !== type) {
      throw new TransactionError(400, `entry ${index}: ${resource.resourceType} sent to ${type}`, index);
    }
    if (method === 'POST') {
      const condition = e.request?.ifNoneExist;
      if (condition !== undefined) {
        const inStore = [...store.values()].filter((r) => matchesCondition(r, type, condition, index));
        const inBatch = planned.filter((p) => p.outcome.status === '201' && matchesCondition(p.resource, type, condition, index));
        const matches = [...inStore, ...inBatch.map((p) => p.resource)];
        if (matches.length > 1) throw new TransactionError(412, `entry ${index}: ifNoneExist matched ${matches.length}`, index);
        const match = matches[0];
        if (match?.id !== undefined) {
          if (e.fullUrl !== undefined) urnMap.set(e.fullUrl, key(type, match.id));
          outcomes[index] = { status: '200', location: key(type, match.id), changed: false };
          continue;
        }
      }
      resource.id = newId(store, type, counter);
      resource.meta = { ...resource.meta, versionId: '1' };
      if (e.fullUrl !== undefined) urnMap.set(e.fullUrl, key(type, resource.id));
      const outcome: EntryOutcome = { status: '201', location: `${key(type, resource.id)}/_history/1`, changed: true };
      planned.push({ index, k: key(type, resource.id), resource, outcome });
      outcomes[index] = outcome;
      continue;
    }
    if (urlId === undefined) throw new TransactionError(400, `entry ${index}: PUT needs Type/id`, index);
    if (resource.id !== urlId) throw new TransactionError(400, `entry ${index}: id ${resource.id} does not match ${urlId}`, index);
    const k = key(type, urlId);
    if (planned.some((p) => p.k === k)) throw new TransactionError(400, `entry ${index}: ${k} written twice`, index);
    const current = store.get(k);
    const ifMatch = e.request?.ifMatch;
    if (ifMatch !== undefined) {
      const wanted = /^W\/"([^"]+)"$/.exec(ifMatch)?.[1] ?? ifMatch;
      if (current === undefined || current.meta?.versionId !== wanted) {
        throw new TransactionError(
          412,
          `entry ${index}: ifMatch ${ifMatch} but ${k} is at version ${current?.meta?.versionId ?? 'none'}`,
          index,
        );
      }
    }
    const version = String(Number(current?.meta?.versionId ?? '0') + 1);
    resource.meta = { ...resource.meta, versionId: version };
    const outcome: EntryOutcome = {
      status: current === undefined ? '201' : '200',
      location: `${k}/_history/${version}`,
      changed: true,
    };
    planned.push({ index, k, resource, outcome });
    outcomes[index] = outcome;
    if (e.fullUrl !== undefined && e.fullUrl.startsWith('urn:')) urnMap.set(e.fullUrl, k);
  }

  // Second pass: rewrite urn:uuid references and commit.
  for (const p of planned) {
    rewriteReferences(p.resource, urnMap);
    if (!store.has(p.k)) order.push(p.k);
    store.set(p.k, p.resource);
  }
  const entry: BundleEntry[] = order.map((k) => ({ fullUrl: `${base}/${k}`, resource: store.get(k) }));
  const shell: Bundle = { ...collection };
  delete shell.entry;
  const bundle: Bundle = { ...structuredClone(shell), entry };
  return { bundle, outcomes };
}

/** Just the resulting Bundle (the common case in tests). */
export function apply(collection: Bundle, transaction: Bundle, options: ApplyOptions = {}): Bundle {
  return applyTransaction(collection, transaction, options).bundle;
}

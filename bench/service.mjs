// bench/service: the Gradus service end to end on 1,000 patients (the 17 demo Bundles cloned round-robin, every
// id prefixed per clone: p0042-...), against the pure progress() on the same 1,000 Bundles in the same run.
//  1. baseline: progress(bundle, { now: bundle.timestamp }) on each Bundle (resources versioned as the service
//     reads them), median of a few passes -> calls/s and mean ms per patient;
//  2. POST /fhir/CarePlan/{id}/$progress?now=... on the embedded server (1,000 patients seeded) with autocannon,
//     each request on a different plan, each plan at most once: the measured pass is the first pass over the
//     plans (a plan written once would mostly hold afterwards) -> requests/s, p50/p99 latency, cost per patient;
//  3. progressAll over HTTP on a freshly seeded service (concurrency 4) -> patients/s, failures, decisions.
// Steps 2 and 3 each stop starting new plans after BUDGET_S seconds, so the bench stays bounded however slow the
// service is; the report says how many of the 1,000 plans were done. Every answer is checked against the pure
// engine's decisions for the same plan. Any non-2xx, transport error or failed plan fails the bench (it throws).
// Traffic goes to 127.0.0.1 only. Needs the compiled service: `npm run build` first (`npm run bench` does).
// Run alone: node bench/service.mjs
import autocannon from 'autocannon';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt } from './measure.mjs';

const require = createRequire(import.meta.url);
const { startService, loadConfig } = require('../dist/server');
const { FhirClient, progressAll } = require('../dist/client');
const { progress } = require('../dist/progression');

const PATIENTS = 1000;
const CONNECTIONS = 8;
const BASELINE_REPEATS = 5;
const BUDGET_S = 50;
const TARGET = 3;

const demoDir = new URL('../fixtures/demo/', import.meta.url).pathname;
const demos = readdirSync(demoDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(demoDir, f), 'utf8')));

const REFERENCE = /^(.*?)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * A copy of a demo Bundle in which every resource id starts with `prefix` and every reference and fullUrl follows.
 * A prefix rather than a suffix: progressAll takes the plans in id order, so its first plans (all it reaches when
 * the budget runs out) are then the demo stories round-robin, as here, not one story after another.
 */
function cloneBundle(bundle, prefix) {
  const keys = new Set(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  const walk = (v, key) => {
    if (typeof v === 'string' && (key === 'reference' || key === 'fullUrl')) {
      const m = REFERENCE.exec(v);
      if (!m) return v;
      if (!keys.has(`${m[2]}/${m[3]}`)) throw new Error(`${v} points outside its Bundle: the clones would share it`);
      return `${m[1]}${m[2]}/${prefix}${m[3]}${m[4] ?? ''}`;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v !== null && typeof v === 'object') {
      const copy = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
      if (typeof copy.resourceType === 'string' && typeof copy.id === 'string' && keys.has(`${copy.resourceType}/${copy.id}`)) {
        copy.id = `${prefix}${copy.id}`;
        if (copy.id.length > 64) throw new Error(`id ${copy.id} is longer than 64 characters`);
      }
      return copy;
    }
    return v;
  };
  const clone = walk(bundle, '');
  // As the service reads them: every resource carries a version (the store keeps the ones it is seeded with).
  for (const { resource } of clone.entry) resource.meta = { ...resource.meta, versionId: resource.meta?.versionId ?? '1' };
  return clone;
}

const patients = Array.from({ length: PATIENTS }, (_, i) => {
  const bundle = cloneBundle(demos[i % demos.length], `p${String(i).padStart(4, '0')}-`);
  const resources = bundle.entry.map((e) => e.resource);
  return { bundle, resources, now: bundle.timestamp, planId: resources.find((r) => r.resourceType === 'CarePlan').id };
});
const byPlan = new Map(patients.map((p) => [p.planId, p]));
const allResources = patients.flatMap((p) => p.resources);
const count = (type) => allResources.filter((r) => r.resourceType === type).length;
if (new Set(allResources.map((r) => `${r.resourceType}/${r.id}`)).size !== allResources.length) throw new Error('the clones share ids');

const perSecond = (n) => (n < 100 ? n.toFixed(1) : fmt(n));
const seconds = (start) => (performance.now() - start) / 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tally = (decisions) => {
  const counts = {};
  for (const d of decisions) counts[d] = (counts[d] ?? 0) + 1;
  return Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
};
const decisionsOf = (result) => result.orders.map((o) => `${o.orderId}:${o.decision}`).sort().join(' ');

console.log(
  `bench/service: ${PATIENTS} patients (${demos.length} demo Bundles cloned round-robin), ${allResources.length} resources ` +
    `(${count('Observation')} Observations, ${count('ServiceRequest')} ServiceRequests); budget ${BUDGET_S} s per service run`,
);

// 1. Baseline: the pure engine on the same Bundles, each at its own timestamp.
const evaluateAll = () => patients.map((p) => progress(p.bundle, { now: p.now }));
evaluateAll().forEach((result, i) => (patients[i].expected = decisionsOf(result)));
const passes = Array.from({ length: BASELINE_REPEATS }, () => {
  const start = performance.now();
  evaluateAll();
  return seconds(start);
});
const pureSeconds = median(passes);
const pureMs = (pureSeconds * 1000) / PATIENTS;
console.log(`progress() (pure, in process): ${fmt(PATIENTS / pureSeconds)} calls/s, ${pureMs.toFixed(2)} ms per patient (median of ${BASELINE_REPEATS} passes)`);

async function seededService() {
  const service = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', GRADUS_DEMO: 'false' }));
  await service.store.seed(allResources);
  return service;
}

// 2. $progress on each plan at most once, over HTTP, with autocannon.
const first = await seededService();
const answers = new Map(); // planId -> { committed, decisions }
const problems = [];
let cannon;
let elapsed;
let stoppedEarly = false;
try {
  let next = 0;
  const start = performance.now();
  let lastAnswer = start;
  const instance = autocannon({
    url: first.url,
    connections: CONNECTIONS,
    amount: PATIENTS,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const p = patients[next++ % PATIENTS];
          return { ...req, path: `/fhir/CarePlan/${encodeURIComponent(p.planId)}/$progress?now=${encodeURIComponent(p.now)}` };
        },
        onResponse: (status, body) => {
          lastAnswer = performance.now();
          if (status !== 200) return void problems.push(`${status}: ${body.slice(0, 300)}`);
          const parameters = JSON.parse(body).entry[0].resource.parameter;
          const value = (p, name) => p.part.find((x) => x.name === name);
          const planId = value(parameters.find((p) => p.name === 'plan'), 'id').valueString;
          const orders = parameters.filter((p) => p.name === 'order').map((p) => `${value(p, 'id').valueString}:${value(p, 'decision').valueString}`);
          if (answers.has(planId)) problems.push(`CarePlan/${planId} was progressed twice`);
          answers.set(planId, {
            committed: parameters.find((p) => p.name === 'committed').valueBoolean,
            decisions: orders.sort().join(' '),
          });
        },
      },
    ],
  });
  const budget = setTimeout(() => {
    stoppedEarly = true;
    instance.stop();
  }, BUDGET_S * 1000);
  cannon = await instance;
  clearTimeout(budget);
  elapsed = (lastAnswer - start) / 1000;
  if (next > PATIENTS) problems.push(`autocannon built ${next} requests for ${PATIENTS} plans`);
} finally {
  await first.close();
}
const wrong = [...answers].filter(([planId, a]) => a.decisions !== byPlan.get(planId).expected);
if (cannon.non2xx + cannon.errors + cannon.timeouts > 0 || problems.length > 0 || wrong.length > 0 || (!stoppedEarly && answers.size !== PATIENTS)) {
  const codes = Object.entries(cannon.statusCodeStats).map(([code, { count: n }]) => `${code}: ${n}`).join(', ');
  throw new Error(
    `bench/service: $progress: ${cannon.non2xx} non-2xx (${codes}), ${cannon.errors} errors, ${cannon.timeouts} timeouts, ` +
      `${wrong.length} answers whose decisions differ from progress()${wrong.length > 0 ? ` (e.g. CarePlan/${wrong[0][0]}: ${wrong[0][1].decisions})` : ''}; ` +
      `${answers.size} of ${PATIENTS} plans answered. ${problems.slice(0, 3).join(' | ')}`,
  );
}
const done = answers.size;
const httpRate = done / elapsed;
const servedMs = 1000 / httpRate;
const latencyRatio = cannon.latency.mean / pureMs;
const committed = [...answers.values()].filter((a) => a.committed).length;
console.log(
  `$progress over HTTP (${CONNECTIONS} connections, each plan once): ${done} of ${PATIENTS} plans in ${elapsed.toFixed(1)} s` +
    `${stoppedEarly ? ` (budget spent: the whole pass would take ~${Math.round(PATIENTS / httpRate)} s)` : ''}; ` +
    `${committed} changed, ${done - committed} held; decisions as progress(); non-2xx ${cannon.non2xx}`,
);
console.log(
  `  ${perSecond(httpRate)} requests/s; latency p50 ${cannon.latency.p50} ms, p99 ${cannon.latency.p99} ms, mean ${cannon.latency.mean.toFixed(1)} ms ` +
    `-> costs ${latencyRatio.toFixed(1)}x progress() per patient (target < ${TARGET.toFixed(1)}x: ${latencyRatio < TARGET ? 'met' : 'NOT met'}); ` +
    `served time per patient (1 / requests/s) ${servedMs.toFixed(1)} ms -> ${(servedMs / pureMs).toFixed(1)}x`,
);

// 3. progressAll over HTTP on a fresh service. One `now` for every plan: the latest Bundle timestamp, so no
// patient has data after it (the demo Bundles do not all share one timestamp). Once the budget is spent the
// client refuses to start another plan (its first request, the CarePlan read), and those plans are not counted.
const now = patients.map((p) => p.now).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
const SKIPPED = 'bench budget spent';
const second = await seededService();
let summary;
let allSeconds;
try {
  const start = performance.now();
  const deadline = start + BUDGET_S * 1000;
  let lastPlan = start;
  const client = new FhirClient({
    baseUrl: second.fhirBaseUrl,
    fetch: (url, init) => {
      if (performance.now() > deadline && /\/CarePlan\/[^/?]+$/.test(String(url))) {
        return Promise.reject(new Error('refused', { cause: new Error(SKIPPED) }));
      }
      return fetch(url, init);
    },
  });
  summary = await progressAll(client, {
    now,
    concurrency: 4,
    onPlan: (report) => {
      if (!('failure' in report && report.failure.reason.includes(SKIPPED))) lastPlan = performance.now();
    },
  });
  allSeconds = (lastPlan - start) / 1000;
} finally {
  await second.close();
}
const skipped = summary.failures.filter((f) => f.reason.includes(SKIPPED)).length;
const failures = summary.failures.filter((f) => !f.reason.includes(SKIPPED));
const runs = summary.reports.filter((r) => 'run' in r);
const differ = runs.filter((r) => decisionsOf(r.run.result) !== decisionsOf(progress(byPlan.get(r.planId).bundle, { now })));
if (failures.length > 0 || summary.plans !== PATIENTS || differ.length > 0) {
  const sample = failures.slice(0, 3).map((f) => `${f.planId} ${f.status}: ${f.reason}`).join(' | ');
  throw new Error(
    `bench/service: progressAll: ${failures.length} failures of ${summary.plans} plans (expected ${PATIENTS}), ` +
      `${differ.length} plans whose decisions differ from progress() on the same data. ${sample}`,
  );
}
const perPatientMs = (allSeconds * 1000) / runs.length;
console.log(
  `progressAll over HTTP (concurrency 4, now ${now}): ${runs.length} of ${PATIENTS} plans in ${allSeconds.toFixed(1)} s` +
    `${skipped > 0 ? ` (budget spent: the whole run would take ~${Math.round((PATIENTS * perPatientMs) / 1000)} s)` : ''}; failures ${failures.length}`,
);
console.log(
  `  ${perSecond(runs.length / allSeconds)} patients/s, ${perPatientMs.toFixed(1)} ms per patient -> ${(perPatientMs / pureMs).toFixed(1)}x progress(); ` +
    `decisions (as progress()): ${tally(runs.flatMap((r) => r.run.result.orders.map((o) => o.decision)))}`,
);

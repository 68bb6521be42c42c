// bench/smart: what SMART costs, against the open embedded server in the same run.
//  1. the same FHIR search (a patient's Observations, _count=50) with autocannon on `gradus serve` (open,
//     baseline), on `gradus serve --auth` with a system token (bearer check + scopes), and with a clinician's
//     EHR-launch token (bearer check + scopes + the patient's compartment: the search is narrowed, the answer
//     filtered) -> requests/s and the ratio to the open server;
//  2. a whole EHR launch in the app (launcher -> /launch -> authorization server -> /callback -> the clinician's
//     page), sequentially, against loading the clinician's page in a session that already has its tokens
//     -> median ms of each and the ratio.
// Every answer must be 200 (the bench throws otherwise). Loopback only. Needs `npm run build` first (npm run bench does).
// Run alone: node bench/smart.mjs
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt } from './measure.mjs';

const CLI = new URL('../bin/gradus.cjs', import.meta.url).pathname;
const SECONDS = 8;
const LAUNCHES = 15;
const SEARCH = 'Observation?subject=Patient/amara-okafor&_count=50';

function serve(args) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gradus-bench-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env: { ...process.env, LOG_LEVEL: 'error', GRADUS_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /^Gradus service\s+(\S+)/m.exec(out)?.[1];
      const key = /^Backend client\s+\S+\s+key (\S+)/m.exec(out)?.[1];
      if (url && (!args.includes('--auth') || key) && out.includes('Ctrl-C')) {
        resolve({ url, key, stop: () => { child.kill('SIGTERM'); rmSync(dataDir, { recursive: true, force: true }); } });
      }
    });
    child.once('exit', (code) => reject(new Error(`gradus serve exited ${code}`)));
  });
}

/** A browser reduced to cookies and manual redirects. */
function browser() {
  const jar = new Map();
  const get = async (url, init = {}) => {
    const headers = { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  /** Follows redirects from `res` (at `url`) to the first answer that is not one. */
  const follow = async (res, url) => {
    for (let i = 0; i < 12 && res.status >= 300 && res.status < 400; i++) {
      url = new URL(res.headers.get('location'), url).href;
      res = await get(url);
    }
    return { res, url };
  };
  return { get, follow };
}

/** An EHR launch through the app: ends on the clinician's page (asserted). */
async function ehrLaunch(base) {
  const b = browser();
  const start = `${base}/sandbox/launch`;
  const res = await b.get(start, { method: 'POST', body: new URLSearchParams({ role: 'clinician', patient: 'amara-okafor' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const end = await b.follow(res, start);
  if (end.res.status !== 200 || !new URL(end.url).pathname.startsWith('/app/plans/')) throw new Error(`the launch ended at ${end.url} (${end.res.status})`);
  await end.res.text();
  return { b, page: end.url };
}

/** A clinician's access token from a hand-made EHR launch (PKCE) at the authorization server. */
async function clinicianToken(base) {
  const b = browser();
  const res = await fetch(`${base}/sandbox/launch`, { method: 'POST', body: new URLSearchParams({ role: 'clinician', patient: 'amara-okafor' }), redirect: 'manual' });
  const launch = new URL(res.headers.get('location'), base).searchParams.get('launch');
  const { createHash, randomBytes } = await import('node:crypto');
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    response_type: 'code', client_id: 'gradus-app', redirect_uri: `${base}/callback`, aud: `${base}/fhir`, launch, state: 'bench',
    scope: 'launch openid fhirUser patient/Observation.rs', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  });
  let url = `${base}/auth/authorize?${q}`;
  let r = await b.get(url);
  while (r.status >= 300 && r.status < 400) {
    url = new URL(r.headers.get('location'), url).href;
    if (new URL(url).pathname === '/callback') break;
    r = await b.get(url);
  }
  const code = new URL(url).searchParams.get('code');
  const token = await fetch(`${base}/auth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${base}/callback`, client_id: 'gradus-app', code_verifier: verifier }) });
  return (await token.json()).access_token;
}

async function load(url, token) {
  const result = await autocannon({ url, connections: 4, duration: SECONDS, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${bad} failed requests to ${url}`);
  return result.requests.average;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const open = await serve([]);
const sandbox = await serve(['--auth']);
try {
  const system = execFileSync(process.execPath, [CLI, 'token', '--server', `${sandbox.url}/fhir`, '--client-id', 'gradus-nightly', '--key', sandbox.key]).toString().trim();
  const clinician = await clinicianToken(sandbox.url);
  const baseline = await load(`${open.url}/fhir/${SEARCH}`);
  const withSystem = await load(`${sandbox.url}/fhir/${SEARCH}`, system);
  const withPatient = await load(`${sandbox.url}/fhir/${SEARCH}`, clinician);
  console.log(`smart: search of a patient's Observations (_count=50), autocannon ${SECONDS} s, 4 connections`);
  console.log(`  open embedded server (baseline)        ${fmt(baseline)} req/s`);
  console.log(`  --auth, system token (bearer + scopes)  ${fmt(withSystem)} req/s  (${(baseline / withSystem).toFixed(2)}x the baseline's cost)`);
  console.log(`  --auth, clinician token (+ compartment) ${fmt(withPatient)} req/s  (${(baseline / withPatient).toFixed(2)}x)`);

  const launches = [];
  const pages = [];
  for (let i = 0; i < LAUNCHES; i++) {
    let t = performance.now();
    const { b, page } = await ehrLaunch(sandbox.url);
    launches.push(performance.now() - t);
    t = performance.now();
    const res = await b.get(page);
    if (res.status !== 200) throw new Error(`the clinician's page answered ${res.status}`);
    await res.text();
    pages.push(performance.now() - t);
  }
  const l = median(launches);
  const p = median(pages);
  console.log(`smart: EHR launch through the app, ${LAUNCHES} sequential launches (median)`);
  console.log(`  clinician's page in a signed-in session (baseline)  ${fmt(p)} ms`);
  console.log(`  whole launch ending on that page                    ${fmt(l)} ms  (${(l / p).toFixed(2)}x)`);
} finally {
  open.stop();
  sandbox.stop();
}

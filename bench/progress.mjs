// bench/progress: patients evaluated per second (progress() on 12-week histories, ~150 Observations each),
// against JSON.parse + JSON.stringify of the same Bundles in the same run. Target: progress costs <= 3x that.
// Needs the compiled engine: `npm run build` first (`npm run bench` does). Run alone: node bench/progress.mjs
import { createRequire } from 'node:module';
import { rate, report } from './measure.mjs';
import { requireTs } from '../scripts/ts-require.mjs';

const require = createRequire(import.meta.url);
const { progress } = require('../dist/progression/progress.js');
const { generateHistory } = requireTs('test/support/generate.ts');

const PATIENTS = 200;
const bundles = Array.from({ length: PATIENTS }, (_, i) => generateHistory({ seed: i + 1 }));
const texts = bundles.map((b) => JSON.stringify(b));
const observations = bundles.reduce((n, b) => n + b.entry.filter((e) => e.resource.resourceType === 'Observation').length, 0);

const evaluateAll = () => {
  for (const b of bundles) progress(b, { now: b.timestamp });
};
const roundTripAll = () => {
  for (const t of texts) JSON.stringify(JSON.parse(t));
};

console.log(`bench/progress: ${PATIENTS} patients, ${Math.round(observations / PATIENTS)} Observations each on average`);
const evaluated = rate(evaluateAll, PATIENTS, { repeats: 9, warmup: 3 });
const baseline = rate(roundTripAll, PATIENTS, { repeats: 9, warmup: 3 });
const ratio = report('progress (patients)', evaluated, baseline, 'JSON.parse+stringify');
console.log(`target <= 3.0x: ${ratio <= 3 ? 'met' : 'NOT met'}`);

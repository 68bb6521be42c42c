// bench/progress: patients evaluated per second (progress() on 12-week histories, ~150 Observations each),
// against JSON.parse + JSON.stringify of the same Bundles in the same run. Target: progress costs <= 3x that.
// The two are timed alternately, repeat by repeat, so load from other processes hits both alike; the ratio
// reported is the median of the per-repeat ratios.
// Needs the compiled engine: `npm run build` first (`npm run bench` does). Run alone: node bench/progress.mjs
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fmt } from './measure.mjs';
import { requireTs } from '../scripts/ts-require.mjs';

const require = createRequire(import.meta.url);
const { progress } = require('../dist/progression/progress.js');
const { generateHistory } = requireTs('test/support/generate.ts');

const PATIENTS = 200;
const REPEATS = 11;
const WARMUP = 3;

const bundles = Array.from({ length: PATIENTS }, (_, i) => generateHistory({ seed: i + 1 }));
const texts = bundles.map((b) => JSON.stringify(b));
const observations = bundles.reduce((n, b) => n + b.entry.filter((e) => e.resource.resourceType === 'Observation').length, 0);

const evaluateAll = () => {
  for (const b of bundles) progress(b, { now: b.timestamp });
};
const roundTripAll = () => {
  for (const t of texts) JSON.stringify(JSON.parse(t));
};
const seconds = (fn) => {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < WARMUP; i++) {
  evaluateAll();
  roundTripAll();
}
const evaluated = [];
const baseline = [];
const ratios = [];
for (let i = 0; i < REPEATS; i++) {
  const te = seconds(evaluateAll);
  const tb = seconds(roundTripAll);
  evaluated.push(PATIENTS / te);
  baseline.push(PATIENTS / tb);
  ratios.push(te / tb);
}
const ratio = median(ratios);
console.log(`bench/progress: ${PATIENTS} patients, ${Math.round(observations / PATIENTS)} Observations each on average, median of ${REPEATS}`);
console.log(
  `progress (patients): ${fmt(median(evaluated))}/s vs JSON.parse+stringify ${fmt(median(baseline))}/s -> costs ${ratio.toFixed(1)}x the baseline`,
);
console.log(`target <= 3.0x: ${ratio <= 3 ? 'met' : 'NOT met'}`);

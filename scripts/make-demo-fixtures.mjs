#!/usr/bin/env node
// Writes fixtures/demo/<name>.json, the demo patients of test/support/demo-patients.ts (deterministic: no clock,
// no randomness; Bundle.timestamp is the `now` to run each at). Usage: node scripts/make-demo-fixtures.mjs [--check]
// --check exits 1 when a committed fixture differs from what the builder gives.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { requireTs } from './ts-require.mjs';

const { DEMO_PATIENTS } = requireTs('test/support/demo-patients.ts');
const dir = new URL('../fixtures/demo/', import.meta.url);
const check = process.argv.includes('--check');
mkdirSync(dir, { recursive: true });

let stale = 0;
for (const [name, build] of Object.entries(DEMO_PATIENTS)) {
  const file = new URL(`${name}.json`, dir);
  const text = `${JSON.stringify(build(), null, 2)}\n`;
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      console.error(`stale: fixtures/demo/${name}.json`);
      stale += 1;
    }
  } else {
    writeFileSync(file, text);
    console.log(`wrote fixtures/demo/${name}.json`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;

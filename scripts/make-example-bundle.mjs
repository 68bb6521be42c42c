#!/usr/bin/env node
// Writes examples/patient-bundle.json: the published example patient of test/support/example-patient.ts, built by the
// tests' own builder (test/support/builder) in its published style (deterministic: no clock, no randomness).
// Usage: node scripts/make-example-bundle.mjs [output path]
import { writeFileSync } from 'node:fs';
import { requireTs } from './ts-require.mjs';

const { examplePatientBundle } = requireTs('test/support/example-patient.ts');
const target = process.argv[2] ?? new URL('../examples/patient-bundle.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(examplePatientBundle(), null, 2)}\n`);

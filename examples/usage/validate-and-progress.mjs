// Using Gradus as a library: validate a patient's Bundle against the profiles, then apply graded
// progression and look at the decisions and the transaction it would write. Run: node examples/usage/validate-and-progress.mjs
import { readFileSync } from 'node:fs';
import { progress, validate } from 'gradus';

const bundle = JSON.parse(readFileSync(new URL('../patient-bundle.json', import.meta.url), 'utf8'));

const outcome = validate(bundle);
const errors = outcome.issue.filter((i) => i.severity === 'error');
console.log(`validation: ${errors.length} error(s)`);

const result = progress(bundle, { now: bundle.timestamp ?? '2026-11-27T09:00:00+01:00' });
console.log(`phase: ${result.plan.phaseFrom} -> ${result.plan.phaseTo}`);
for (const order of result.orders) {
  console.log(`${order.exercise}: ${order.decision} - ${order.rationale}`);
}
const methods = (result.transaction.entry ?? []).map((e) => `${e.request.method} ${e.request.url}`);
console.log(`transaction: ${methods.length} entries (${methods.join(', ')})`);

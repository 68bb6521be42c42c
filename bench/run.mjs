// `npm run bench`: every benchmark in bench/, one after the other (never part of `npm test`).
import { readdirSync } from 'node:fs';

const here = new URL('./', import.meta.url);
const skip = new Set(['run.mjs', 'measure.mjs']);
for (const file of readdirSync(here).filter((f) => f.endsWith('.mjs') && !skip.has(f)).sort()) {
  await import(new URL(file, here).href);
  console.log('');
}

// bench/validate-vs-hl7: our validator beside the HL7 Java validation engine (HAPI FHIR 8.8.0's
// FhirInstanceValidator loading the Gradus package) on the same files in the same run: the 22 examples, the
// engine's transactions for the 17 demo patients whole and entry by entry, and the 129 invalid fixtures.
// Warm throughput of each (one thread, after a cold pass) and the ratio. Runs the conformance suite's own
// runner (test/conformance/hl7/run.mjs); skipped, saying so, when Java or Maven is missing.
// Run alone: node bench/validate-vs-hl7.mjs (after npm run build).
import { spawnSync } from 'node:child_process';

const PASSES = 4;
const has = (tool) => spawnSync(tool, ['-version'], { stdio: 'ignore' }).status === 0;

console.log('bench/validate-vs-hl7');
if (!has('java') || !has('mvn')) {
  console.log('skipped: needs Java 17 and Maven (the HL7 engine runs on the JVM)');
} else {
  const root = new URL('..', import.meta.url).pathname;
  const run = spawnSync(process.execPath, ['test/conformance/hl7/run.mjs', '--skip-build', '--passes', String(PASSES)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`the conformance runner failed (${String(run.status)}):\n${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Throughput'));
  if (start === -1) throw new Error(`no throughput in the runner's output:\n${run.stdout}`);
  console.log(`${PASSES - 1} warm passes after a cold one, the same files for both validators`);
  for (const line of lines.slice(start)) {
    if (line.trim() === '' || line.startsWith('PASS') || line.startsWith('FAIL')) break;
    console.log(line);
  }
}

/**
 * `npm run conformance`: Gradus's resources against the HL7 Java validation engine (HAPI FHIR 8.8.0
 * FhirInstanceValidator loading our FHIR package tarball) and against our own validator, on the same files.
 *  1. builds dist/ (npm run build) and the FHIR package (build/gradus.fhir.exercise-<version>.tgz)
 *  2. makes the inputs (make-inputs.mjs): the examples, the engine's output for every demo patient (each
 *     transaction whole and each entry alone) and every invalid fixture of test/invalid
 *  3. builds this Maven project (mvn -q -B package) and runs health.gradus.conformance.Validate on them
 *  4. runs our validator (dist) on the same files
 *  5. writes test/conformance/hl7/target/conformance-report.json and prints the agreement table
 * Fails (exit 1) when a valid input has an error in either engine, when our validator misses an invalid
 * fixture, when the Java engine passes an invalid fixture whose manifest entry does not record why
 * (`javaEngine: { passes: true, why }`), or when such a record is stale (the Java engine flags it now).
 * Options: --keep-inputs (keep the temporary inputs folder), --passes N (validation passes, default 2:
 * one cold, the rest warm and timed), --skip-build (reuse dist/ and the Maven build).
 * Needs Java 17 and Maven (exit 1 with a message when either is missing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildPackage } from '../../../scripts/build-package.mjs';
import { makeInputs, REPO } from './make-inputs.mjs';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const TARGET = join(HERE, 'target');
const REPORT = join(TARGET, 'conformance-report.json');
const MAIN_CLASS = 'health.gradus.conformance.Validate';

const args = process.argv.slice(2);
const keepInputs = args.includes('--keep-inputs');
const skipBuild = args.includes('--skip-build');
const passesAt = args.indexOf('--passes');
const passes = passesAt === -1 ? 2 : Math.max(1, Number.parseInt(args[passesAt + 1] ?? '', 10) || 2);

/** Runs a command and returns its stdout; throws with its stdout and stderr when it fails. */
function run(command, commandArgs, options = {}) {
  const r = spawnSync(command, commandArgs, { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw new Error(`${command}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} exited ${r.status}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.stdout;
}

const has = (command) => spawnSync(command, ['-version'], { stdio: 'ignore' }).status === 0;

// ---------- the expression rules (as test/invalid/manifest.ts: an error at the expression or below it)
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `<expression>: <diagnostics>` lines of our error issues. */
const oursErrorLines = (oo) =>
  oo.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal').flatMap((i) => (i.expression ?? ['(no expression)']).map((e) => `${e}: ${i.diagnostics ?? i.code}`));
function oursMatches(lines, m) {
  const at = `^${escapeRegExp(m.expression)}(?:[.[][^:\\s]*)?: `;
  const re = new RegExp(m.diagnostics === undefined ? at : `${at}.*${m.diagnostics}`);
  return lines.some((l) => re.test(l));
}
/** The Java engine's location as a FHIRPath: without its `/*Type/id*\/` comments and `.ofType(X)` steps. */
const javaPath = (location) => (location ?? '').replace(/\/\*.*?\*\//g, '').replace(/\.ofType\([^)]*\)/g, '');
const isAtOrBelow = (actual, expected) => actual === expected || actual.startsWith(`${expected}.`) || actual.startsWith(`${expected}[`);
/**
 * Whether the Java engine put an error at or below the expression, or on an ancestor with a message naming the
 * expression's last element (it reports a missing element or a slice count on the parent: "CarePlan.subject:
 * minimum required = 1" at CarePlan).
 */
function javaMatches(messages, m) {
  const last = (m.expression.split('.').pop() ?? '').replace(/\[\d+\]$/, '');
  return messages
    .filter((x) => x.severity === 'error' || x.severity === 'fatal')
    .some((x) => {
      const p = javaPath(x.location);
      return isAtOrBelow(p, m.expression) || (p !== '' && isAtOrBelow(m.expression, p) && (x.message ?? '').includes(last));
    });
}

// ---------- our validator on the same files
function runOurs(inputs) {
  const { validate } = require(join(REPO, 'dist'));
  const texts = inputs.map((i) => readFileSync(i.path, 'utf8'));
  const outcomes = texts.map((t) => validate(JSON.parse(t)));
  const fileMs = texts.map(() => 0);
  const start = performance.now();
  for (let p = 1; p < passes; p++) {
    texts.forEach((t, i) => {
      const t0 = performance.now();
      validate(JSON.parse(t));
      fileMs[i] += performance.now() - t0;
    });
  }
  const ms = performance.now() - start;
  const warmFiles = texts.length * (passes - 1);
  return {
    timing: { warmFiles, warmMs: Math.round(ms), warmFilesPerSecond: warmFiles ? Math.round((warmFiles / ms) * 10000) / 10 : null },
    files: outcomes.map((oo, i) => {
      const lines = oursErrorLines(oo);
      const warmMs = passes > 1 ? Math.round((fileMs[i] / (passes - 1)) * 100) / 100 : null;
      return { errors: lines.length, warnings: oo.issue.filter((i) => i.severity === 'warning').length, errorLines: lines, warmMs };
    }),
  };
}

// ---------- the verdicts
function judge(inputs, java, ours) {
  const javaById = new Map(java.files.map((f) => [f.id, f]));
  return inputs.map((input, i) => {
    const j = javaById.get(input.id);
    const o = ours.files[i];
    const javaErrors = j?.messages.filter((m) => m.severity === 'error' || m.severity === 'fatal') ?? [];
    const row = {
      id: input.id,
      expect: input.expect,
      java: j
        ? {
            errors: j.errors,
            warnings: j.warnings,
            warmMs: j.warmMs,
            ...(j.crash ? { crash: j.crash } : {}),
            firstMessages: j.messages.slice(0, 5),
            errorMessages: javaErrors.slice(0, 20),
          }
        : { errors: null, missing: true },
      ours: { errors: o.errors, warnings: o.warnings, warmMs: o.warmMs, firstErrors: o.errorLines.slice(0, 5) },
      problems: [],
    };
    if (!j) row.problems.push('the Java engine reported nothing for this file');
    if (j?.crash) row.problems.push(`the Java engine threw: ${j.crash}`);
    if (input.expect === 'valid') {
      if (j && j.errors > 0) row.problems.push(`valid input with ${j.errors} Java error(s)`);
      if (o.errors > 0) row.problems.push(`valid input with ${o.errors} error(s) from our validator`);
      return row;
    }
    const m = input.manifest;
    row.manifest = { expression: m.expression, kind: m.kind, why: m.why, ...(m.javaEngine ? { javaEngine: m.javaEngine } : {}) };
    row.oursFlags = o.errors > 0;
    row.oursAtExpression = oursMatches(o.errorLines, m);
    row.javaFlags = (j?.errors ?? 0) > 0;
    row.javaAtExpression = j ? javaMatches(javaErrors, m) : false;
    if (!row.oursAtExpression) row.problems.push(`our validator reports no error at ${m.expression}`);
    const recorded = m.javaEngine?.passes === true && typeof m.javaEngine.why === 'string' && m.javaEngine.why.length > 0;
    if (!row.javaFlags && !recorded) row.problems.push('the Java engine passes this invalid fixture and its manifest entry does not record why (javaEngine: { passes: true, why })');
    if (row.javaFlags && m.javaEngine?.passes === true) row.problems.push('stale manifest note: javaEngine.passes is recorded but the Java engine flags this fixture now');
    return row;
  });
}

// ---------- the printed table
const short = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function printSummary(report) {
  const { rows, java, ours } = report;
  const out = [];
  const say = (s = '') => out.push(s);
  say(`Conformance: ${java.engine} vs the Gradus validator, package ${report.package}`);
  say(`  package loaded by NpmPackageValidationSupport: ${Object.entries(java.packageResources).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  const valid = rows.filter((r) => r.expect === 'valid');
  const invalid = rows.filter((r) => r.expect === 'invalid');

  say();
  say(`Valid inputs (${valid.length}): errors per file, Java / ours`);
  for (const r of valid.filter((x) => x.id.startsWith('examples/'))) say(`  ${pad(r.id, 58)} ${pad(r.java.errors, 4)} / ${r.ours.errors}`);
  const patients = [...new Set(valid.filter((r) => r.id.startsWith('engine/')).map((r) => r.id.split('/')[1]))];
  for (const p of patients) {
    const mine = valid.filter((r) => r.id.startsWith(`engine/${p}/`));
    const tx = mine.find((r) => r.id.endsWith('/transaction.json'));
    const entries = mine.filter((r) => r !== tx);
    const sum = (list, key) => list.reduce((n, r) => n + (r[key].errors ?? 0), 0);
    const bad = entries.filter((r) => r.java.errors > 0 || r.ours.errors > 0).length;
    say(
      `  ${pad(`engine/${p}: transaction`, 58)} ${pad(tx?.java.errors ?? '-', 4)} / ${tx?.ours.errors ?? '-'}` +
        `   ${entries.length} entries alone: ${sum(entries, 'java')} / ${sum(entries, 'ours')} errors${bad ? ` in ${bad} file(s)` : ''}`,
    );
  }
  const failingValid = valid.filter((r) => r.problems.length > 0);
  say(`  valid inputs with errors: ${failingValid.length}${failingValid.length ? ' (must be 0)' : ''}`);
  if (failingValid.length > 0) {
    const why = new Map();
    for (const r of failingValid) {
      for (const m of r.java.errorMessages ?? []) {
        const key = `Java: ${m.messageId ?? ''} ${m.message.replace(/urn:uuid:[0-9a-f-]+|\b[A-Z][A-Za-z]+\/[A-Za-z0-9.-]+/g, '…').slice(0, 150)}`;
        why.set(key, [...(why.get(key) ?? []), r.id]);
      }
      for (const l of r.ours.firstErrors) {
        const key = `ours: ${l.replace(/\[\d+\]/g, '[n]').slice(0, 150)}`;
        why.set(key, [...(why.get(key) ?? []), r.id]);
      }
    }
    say('  their errors, by message (files):');
    const grouped = [...why.entries()].map(([k, v]) => [k, [...new Set(v)]]).sort((a, b) => b[1].length - a[1].length);
    for (const [k, ids] of grouped) {
      say(`    ${ids.length} file(s): ${k}`);
      say(`        e.g. ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}`);
    }
  }

  say();
  const both = invalid.filter((r) => r.oursFlags && r.javaFlags);
  const bothAt = both.filter((r) => r.javaAtExpression);
  const onlyOurs = invalid.filter((r) => r.oursFlags && !r.javaFlags);
  const onlyJava = invalid.filter((r) => !r.oursFlags && r.javaFlags);
  const neither = invalid.filter((r) => !r.oursFlags && !r.javaFlags);
  say(`Invalid fixtures (${invalid.length}):`);
  say(`  flagged by both            ${both.length}  (Java at the manifest expression: ${bothAt.length}; elsewhere only: ${both.length - bothAt.length})`);
  say(`  flagged only by ours       ${onlyOurs.length}  (recorded in the manifest: ${onlyOurs.filter((r) => r.manifest.javaEngine?.passes).length})`);
  say(`  flagged only by Java       ${onlyJava.length}`);
  say(`  flagged by neither         ${neither.length}`);
  if (onlyOurs.length > 0) {
    say('  only ours (the Java engine passes them):');
    for (const r of onlyOurs) {
      say(`    ${pad(r.id.replace('test/invalid/', ''), 58)} ${pad(r.manifest.kind, 18)} ${r.manifest.javaEngine?.why ? `why: ${short(r.manifest.javaEngine.why, 120)}` : 'UNRECORDED'}`);
    }
  }
  const elsewhere = both.filter((r) => !r.javaAtExpression);
  if (elsewhere.length > 0) {
    say('  flagged by both, the Java engine elsewhere than the manifest expression (its first error):');
    for (const r of elsewhere) {
      const e = r.java.errorMessages[0];
      say(`    ${pad(r.id.replace('test/invalid/', ''), 58)} expected ${r.manifest.expression}; Java: ${javaPath(e?.location)}: ${(e?.message ?? '').slice(0, 110)}`);
    }
  }

  say();
  const jRate = java.timing.warmFilesPerSecond;
  const oRate = ours.timing.warmFilesPerSecond;
  say(`Throughput, warm, same ${rows.length} files, one thread each: Java ${jRate ?? '-'} files/s, ours ${oRate ?? '-'} files/s${jRate && oRate ? ` (ours ${(oRate / jRate).toFixed(0)}x)` : ''}`);
  const groups = [
    ['examples', (r) => r.id.startsWith('examples/')],
    ['engine transactions', (r) => r.id.startsWith('engine/') && r.id.endsWith('/transaction.json')],
    ['engine entries alone', (r) => r.id.startsWith('engine/') && !r.id.endsWith('/transaction.json')],
    ['invalid fixtures', (r) => r.expect === 'invalid'],
  ];
  for (const [label, test] of groups) {
    const g = rows.filter(test);
    const rate = (key) => {
      const ms = g.reduce((n, r) => n + (r[key].warmMs ?? NaN), 0);
      return Number.isFinite(ms) && ms > 0 ? ((g.length / ms) * 1000).toFixed(1) : '-';
    };
    say(`  ${pad(label, 22)} ${pad(g.length, 4)} files: Java ${pad(rate('java'), 7)} files/s, ours ${rate('ours')} files/s`);
  }
  say(`  Java: setup ${java.timing.setupMs} ms, cold pass ${java.timing.coldPassMs} ms (${rows.length} files)`);

  const problems = rows.filter((r) => r.problems.length > 0);
  say();
  if (problems.length === 0) say(`PASS: ${rows.length} files, no disagreement left unrecorded. Report: ${relative(REPO, REPORT)}`);
  else {
    say(`FAIL: ${problems.length} file(s) with problems (report: ${relative(REPO, REPORT)}):`);
    for (const r of problems.slice(0, 40)) say(`  ${r.id}: ${r.problems.join('; ')}`);
    if (problems.length > 40) say(`  … ${problems.length - 40} more in the report`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return problems.length === 0;
}

function main() {
  for (const tool of ['java', 'mvn']) {
    if (!has(tool)) {
      process.stderr.write(`conformance: ${tool} not found; the suite needs Java 17 and Maven\n`);
      return 1;
    }
  }
  if (!skipBuild || !existsSync(join(REPO, 'dist', 'index.js'))) {
    process.stdout.write('building dist/ ...\n');
    run('npm', ['run', 'build', '--silent']);
  }
  const pkg = buildPackage();
  process.stdout.write(`package: ${relative(REPO, pkg.path)} (${pkg.files.length} files)\n`);

  const inputsDir = mkdtempSync(join(tmpdir(), 'gradus-conformance-'));
  try {
    const inputs = makeInputs(inputsDir);
    process.stdout.write(
      `inputs: ${inputs.length} (${inputs.filter((i) => i.expect === 'valid').length} valid, ${inputs.filter((i) => i.expect === 'invalid').length} invalid) in ${inputsDir}\n`,
    );

    if (!skipBuild || !existsSync(join(TARGET, 'classes'))) {
      process.stdout.write('building the Maven project ...\n');
      run('mvn', ['-q', '-B', '-f', join(HERE, 'pom.xml'), 'package'], { cwd: HERE });
    }
    mkdirSync(TARGET, { recursive: true });
    const javaReport = join(TARGET, 'java-report.json');
    const classpath = [join(TARGET, 'classes'), join(TARGET, 'lib', '*'), dirname(pkg.path)].join(delimiter);
    process.stdout.write(`running the HL7 Java engine on ${inputs.length} files (${passes} passes) ...\n`);
    const javaOut = run('java', [
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=error',
      '-cp',
      classpath,
      MAIN_CLASS,
      '--package',
      basename(pkg.path),
      '--list',
      join(inputsDir, 'inputs.tsv'),
      '--out',
      javaReport,
      '--passes',
      String(passes),
    ]);
    process.stdout.write(javaOut);
    const java = JSON.parse(readFileSync(javaReport, 'utf8'));

    const ours = runOurs(inputs);
    const rows = judge(inputs, java, ours);
    const report = {
      generated: new Date().toISOString(),
      package: relative(REPO, pkg.path),
      java: { engine: java.engine, packageResources: java.packageResources, timing: java.timing },
      ours: { engine: 'Gradus validate() (dist)', timing: ours.timing },
      rows,
    };
    writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
    const loaded = Object.values(java.packageResources).reduce((a, b) => a + b, 0);
    const conformanceFiles = pkg.files.filter((f) => /^package\/[^/]+\.json$/.test(f) && !/\/(package|\.index)\.json$/.test(f)).length;
    const ok = printSummary(report);
    if (loaded !== conformanceFiles) {
      process.stdout.write(`FAIL: the Java engine loaded ${loaded} conformance resources from the package, which holds ${conformanceFiles}\n`);
      return 1;
    }
    return ok ? 0 : 1;
  } finally {
    if (keepInputs) process.stdout.write(`inputs kept in ${inputsDir}\n`);
    else rmSync(inputsDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`conformance: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

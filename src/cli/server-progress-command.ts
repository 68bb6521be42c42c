/**
 * `gradus progress --server <url> (--plan <CarePlan/id> | --all) [--dry-run] [--now <ISO>] [--policy <file>]
 * [--client-id <id> --key <file> [--scope <scopes>] [--alg RS384|ES384]]`:
 * the whole loop against a FHIR server. One plan prints its decision table and what was written; `--all`
 * progresses every active Gradus plan, with a progress bar on a terminal and a line per plan otherwise,
 * then a summary (decisions, phase changes, failures with reasons). One failing plan never stops the
 * others; the exit code is 1 when any failed. With `--client-id <id> --key <file>` the CLI gets its own
 * access tokens with SMART Backend Services (renewed before they expire); otherwise a token may come from
 * FHIR_BEARER_TOKEN (never a flag, so it stays out of shell history and process lists). A refusal (the token
 * endpoint's, or the FHIR server's 401/403) exits 1 with one line.
 */
import { parseArgs } from 'node:util';
import { FhirClient, progressAll, safeForToken, progressPlan, type AllSummary, type PlanReport, type PlanRun, type TokenSource } from '../client';
import { normalizeOutcome, OperationOutcomeError } from '../fhir/outcome';
import type { Policy } from '../progression';
import { readPolicy } from './progress-command';
import { InputError } from './read-json';
import { oneLine, renderSummary } from './summary';
import { authFailure, backendToken, CREDENTIAL_OPTIONS, credentialsFrom, type BackendCredentials } from './token-command';

const USAGE =
  'usage: gradus progress --server <FHIR base URL> (--plan <CarePlan/id> | --all) [--dry-run] [--now <ISO dateTime>] [--policy <file.json>] [--concurrency N] [--client-id <id> --key <file> [--scope <scopes>] [--alg RS384|ES384]]';

interface Invocation {
  server: string;
  plan?: string;
  all: boolean;
  dryRun: boolean;
  now?: string;
  policyFile?: string;
  concurrency: number;
  credentials?: BackendCredentials;
}

function parse(args: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        server: { type: 'string' },
        plan: { type: 'string' },
        all: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        now: { type: 'string' },
        policy: { type: 'string' },
        concurrency: { type: 'string', default: '4' },
        ...CREDENTIAL_OPTIONS,
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    throw new InputError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.server === undefined || !/^https?:\/\/[^\s/?#]+/.test(v.server)) throw new InputError(`--server needs an http(s) URL\n${USAGE}`);
  if ((v.plan === undefined) === (v.all !== true)) throw new InputError(`give either --plan <CarePlan/id> or --all\n${USAGE}`);
  const concurrency = Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new InputError('--concurrency must be an integer from 1 to 32');
  let plan: string | undefined;
  if (v.plan !== undefined) {
    const m = /^(?:CarePlan\/)?([A-Za-z0-9\-.]{1,64})$/.exec(v.plan);
    if (!m?.[1]) throw new InputError(`--plan '${v.plan}' is not a CarePlan id (CarePlan/<id> or <id>)`);
    plan = m[1];
  }
  const credentials = credentialsFrom(v);
  return {
    server: v.server,
    all: v.all === true,
    dryRun: v['dry-run'] === true,
    concurrency,
    ...(plan !== undefined ? { plan } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(v.now !== undefined ? { now: v.now } : {}),
    ...(v.policy !== undefined ? { policyFile: v.policy } : {}),
  };
}

function written(run: PlanRun): string {
  if (run.dryRun) return 'Dry run: nothing written.';
  if (run.rejectedBy !== undefined) return `Nothing written: a clinician rejected this proposal on this plan version (${run.rejectedBy}).`;
  if (run.written.length === 0) return 'Nothing new to write (the same evaluation is already recorded).';
  const counts = new Map<string, number>();
  for (const r of run.written) counts.set(r.resourceType, (counts.get(r.resourceType) ?? 0) + 1);
  const parts = [...counts].map(([type, n]) => `${n} ${type}`);
  const retry = run.attempts > 1 ? ' (the plan had changed meanwhile: re-read and recomputed once)' : '';
  return `Written: ${parts.join(', ')}${retry}.`;
}

function decisionsOf(run: PlanRun): string {
  const counts = new Map<string, number>();
  for (const o of run.result.orders) counts.set(o.decision, (counts.get(o.decision) ?? 0) + 1);
  return [...counts].map(([d, n]) => `${d} ${n}`).join(', ') || 'no orders';
}

function reportLine(report: PlanReport): string {
  if ('failure' in report) return `FAILED  CarePlan/${report.planId}: ${report.failure.status} ${oneLine(report.failure.reason)}`;
  const { plan } = report.run.result;
  const phase = plan.phaseFrom === plan.phaseTo ? plan.phaseTo : `${plan.phaseFrom} -> ${plan.phaseTo}`;
  const rejected = report.run.rejectedBy !== undefined ? `; not written: rejected by a clinician (${report.run.rejectedBy})` : '';
  return `ok      CarePlan/${report.planId}: ${decisionsOf(report.run)}; phase ${phase}${report.run.written.length > 0 ? `; ${report.run.written.length} written` : ''}${rejected}`;
}

function bar(done: number, total: number, failed: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} plans${failed > 0 ? `, ${failed} failed` : ''}`;
}

function renderAll(summary: AllSummary, dryRun: boolean): string {
  const counts = (m: Record<string, number>): string =>
    Object.entries(m)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  const lines = [
    `${summary.plans} plan(s) ${dryRun ? 'evaluated (dry run, nothing written)' : 'progressed'}; ${summary.failures.length} failed.`,
    `Order decisions: ${counts(summary.decisions)}`,
    `Phase changes: ${counts(summary.phases)}`,
    ...summary.failures.map((f) => `  failed CarePlan/${f.planId}: ${f.status} ${oneLine(f.reason)}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function loadPolicy(file: string | undefined): Promise<Partial<Policy> | undefined> {
  if (file === undefined) return undefined;
  const parsed = await readPolicy(file);
  if ('error' in parsed) throw new InputError(`--policy ${file}: ${parsed.error}`);
  return parsed.policy;
}

/** Runs the server form of `gradus progress`; returns the exit code (0 ok, 1 some plan failed or access refused, 2 bad input or no server). */
export async function serverProgressCommand(args: string[]): Promise<number> {
  let withCredentials = false;
  try {
    const inv = parse(args);
    const policy = await loadPolicy(inv.policyFile);
    let token: TokenSource | undefined = process.env.FHIR_BEARER_TOKEN || undefined;
    if (inv.credentials !== undefined) token = await backendToken(inv.server, inv.credentials);
    else if (token !== undefined && !safeForToken(inv.server)) {
      throw new InputError('FHIR_BEARER_TOKEN would be sent in clear text: --server must use https unless it is on this machine');
    }
    withCredentials = token !== undefined;
    const client = new FhirClient({ baseUrl: inv.server, ...(token ? { token } : {}) });
    const options = { dryRun: inv.dryRun, ...(inv.now !== undefined ? { now: inv.now } : {}), ...(policy ? { policy } : {}) };
    if (inv.plan !== undefined) {
      const run = await progressPlan(client, inv.plan, options);
      process.stdout.write(`${renderSummary(run.result, run.patient)}${written(run)}\n`);
      return 0;
    }
    const tty = process.stderr.isTTY === true;
    let failed = 0;
    const summary = await progressAll(client, {
      ...options,
      concurrency: inv.concurrency,
      onPlan: (report, done, total) => {
        if ('failure' in report) failed++;
        if (tty) process.stderr.write(bar(done, total, failed));
        else process.stdout.write(`${reportLine(report)}\n`);
      },
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(renderAll(summary, inv.dryRun));
    return summary.failures.length > 0 ? 1 : 0;
  } catch (err) {
    const failure = authFailure(err, withCredentials);
    if (failure) {
      process.stderr.write(`gradus progress: ${failure.line}\n`);
      return failure.code;
    }
    if (err instanceof InputError) process.stderr.write(`gradus progress: ${err.message}\n`);
    else if (err instanceof OperationOutcomeError) {
      const [first, ...more] = normalizeOutcome(err).issue;
      const rest = more.length > 0 ? ` (and ${more.length} more)` : '';
      process.stderr.write(`gradus progress: ${oneLine(first?.diagnostics ?? first?.code ?? 'failed')}${rest}\n`);
    } else process.stderr.write(`gradus progress: internal error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return 2;
  }
}

/**
 * `gradus progress <bundle.json> [--now <ISO>] [--policy <file.json>] [--summary]`: runs the engine on a
 * patient's Bundle and prints the transaction Bundle (or, with --summary, a readable table).
 * The clock is read here, at the edge, only when neither --now nor Bundle.timestamp gives the time.
 * See: README.md "Command line".
 */
import type { Bundle, CarePlan } from 'fhir/r4';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { normalizeOutcome, OperationOutcomeError } from '../fhir/outcome';
import { progress, type ProgressResult } from '../progression/progress';
import { parsePolicy } from './policy-schema';
import { serverProgressCommand } from './server-progress-command';
import { InputError, readResourceFile } from './read-json';
import { oneLine, renderSummary } from './summary';

const USAGE = 'usage: gradus progress <bundle.json> [--now <ISO dateTime>] [--policy <file.json>] [--summary]';

interface Invocation {
  file: string;
  now?: string;
  policyFile?: string;
  summary: boolean;
}

function parse(args: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { now: { type: 'string' }, policy: { type: 'string' }, summary: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new InputError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new InputError(`missing <bundle.json>\n${USAGE}`);
  if (extra.length > 0) throw new InputError(`unexpected argument '${extra.join(' ')}': give one Bundle file\n${USAGE}`);
  const { now, policy, summary } = parsed.values;
  return { file, summary: summary === true, ...(now !== undefined ? { now } : {}), ...(policy !== undefined ? { policyFile: policy } : {}) };
}

/** The policy overrides in a JSON file, or why they cannot be used. */
export async function readPolicy(file: string): Promise<ReturnType<typeof parsePolicy>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? `malformed JSON (${err.message})` : `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    return { error: reason };
  }
  return parsePolicy(value);
}

/** The plan's subject reference, for the summary header. */
function patientOf(bundle: Bundle, result: ProgressResult): string | undefined {
  const plan = (bundle.entry ?? []).find(
    (e) => e.resource?.resourceType === 'CarePlan' && (e.resource.id === result.plan.planId || e.fullUrl === result.plan.planId),
  )?.resource as CarePlan | undefined;
  return plan?.subject?.reference;
}

/** Runs `gradus progress`; returns the exit code (0 ok, 2 bad input). Never throws. */
export async function progressCommand(args: string[]): Promise<number> {
  if (args.some((a) => a === '--server' || a.startsWith('--server='))) return serverProgressCommand(args);
  const fail = (message: string): number => {
    process.stderr.write(`gradus progress: ${message}\n`);
    return 2;
  };
  try {
    const invocation = parse(args);
    const resource = await readResourceFile(invocation.file);
    if (resource.resourceType !== 'Bundle') {
      return fail(`${invocation.file}: expected a FHIR Bundle, found a ${String(resource.resourceType)}`);
    }
    const bundle = resource as unknown as Bundle;
    let policy;
    if (invocation.policyFile !== undefined) {
      const parsed = await readPolicy(invocation.policyFile);
      if ('error' in parsed) return fail(`--policy ${invocation.policyFile}: ${parsed.error}`);
      policy = parsed.policy;
    }
    const now = invocation.now ?? bundle.timestamp ?? new Date().toISOString();
    const result = progress(bundle, { now, ...(policy ? { policy } : {}) });
    process.stdout.write(invocation.summary ? renderSummary(result, patientOf(bundle, result)) : `${JSON.stringify(result.transaction, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) return fail(err.message);
    if (err instanceof OperationOutcomeError) {
      const lines = normalizeOutcome(err).issue.map((i) => {
        const where = i.expression?.length ? ` (at ${i.expression.join(', ')})` : '';
        return `gradus progress: ${i.severity}: ${oneLine(i.diagnostics ?? i.code)}${where}\n`;
      });
      process.stderr.write(lines.join(''));
      return 2;
    }
    return fail(`internal error: ${oneLine(err instanceof Error ? err.message : String(err))}`);
  }
}

/** The readable table `gradus progress --summary` prints: one header line for the plan, one row per order. */
import { describeDose, sameDose } from '../progression/dose';
import type { ProgressResult } from '../progression/progress';

const COLUMNS = ['ORDER', 'EXERCISE', 'DECISION', 'DOSE', 'REASON'] as const;

/** One line of text: whitespace (newlines included) collapsed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function planLine(result: ProgressResult, patient: string | undefined): string {
  const { plan } = result;
  const phase = plan.phaseFrom === plan.phaseTo ? `${plan.phaseFrom} (unchanged)` : `${plan.phaseFrom} -> ${plan.phaseTo}`;
  const decision = plan.decision
    ? `${plan.decision}${plan.rationale ? `: ${oneLine(plan.rationale)}` : ''}`
    : 'none (each order decided by the order rules)';
  return [`Patient: ${patient ?? 'unknown'}`, `Plan: ${plan.planId}`, `Phase: ${phase}`, `Plan decision: ${decision}`].join('  |  ');
}

function writesLine(result: ProgressResult): string {
  const entries = result.transaction.entry ?? [];
  const count = (method: string, type: string): number =>
    entries.filter((e) => e.request?.method === method && e.resource?.resourceType === type).length;
  const n = (k: number, noun: string, plural = `${noun}s`): string => `${k} ${k === 1 ? noun : plural}`;
  const parts = [
    n(count('POST', 'ServiceRequest'), 'new order'),
    n(count('PUT', 'ServiceRequest'), 'order update'),
    n(count('PUT', 'CarePlan'), 'plan update'),
    n(count('POST', 'Provenance'), 'Provenance'),
  ];
  return `Transaction: ${n(entries.length, 'entry', 'entries')} (${parts.join(', ')})`;
}

/** The summary table as text (ends with a newline). `patient` is the plan's subject reference. */
export function renderSummary(result: ProgressResult, patient?: string): string {
  const rows = result.orders.map((o) => [
    o.orderId,
    o.exercise,
    o.decision,
    sameDose(o.from, o.to) ? `${describeDose(o.from)} (unchanged)` : `${describeDose(o.from)} -> ${describeDose(o.to)}`,
    oneLine(o.rationale),
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const table = rows.length > 0 ? [format(COLUMNS), ...rows.map(format)] : ['No current orders were evaluated.'];
  return `${[planLine(result, patient), '', ...table, '', writesLine(result)].join('\n')}\n`;
}

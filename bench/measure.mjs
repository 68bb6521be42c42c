// Timing helpers shared by the benchmarks: warm up, repeat, report the median rate.
import { performance } from 'node:perf_hooks';

/** Runs `fn` (which processes `count` items) `repeats` times after a warm-up; returns the median items/s. */
export function rate(fn, count, { repeats = 7, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const rates = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    rates.push(count / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** Prints a result row: what was measured, its rate, the baseline rate and the cost ratio. */
export function report(label, subject, baseline, baselineLabel) {
  const ratio = baseline / subject;
  console.log(
    `${label}: ${fmt(subject)}/s vs ${baselineLabel} ${fmt(baseline)}/s -> costs ${ratio.toFixed(1)}x the baseline`,
  );
  return ratio;
}

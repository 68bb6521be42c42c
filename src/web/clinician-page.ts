/**
 * The clinician page of one plan: h1 "Exercise plan for <patient>", then "Plan" (phase and each current
 * order's domain, dose and schedule), "Progress over time" (a Chart.js chart drawn by /static/charts.js from
 * the JSON data block, and the same numbers in a table), "Adherence per week" and "Proposed changes".
 * Templates only: the view models in, an HTML document out.
 */
import { daysBetween, formatDate } from './dates';
import { doseText, phrase, scheduleText, share } from './format';
import { html, jsonData, type Html } from './html';
import { page } from './layout';
import type { PlanView } from './plan-view';
import type { ProgressSeries } from './progress-series';
import { proposalSection, type ProposalModel } from './proposal-section';
import type { WeekRow } from './adherence';

/** The accessible name of the chart (the end-to-end tests find it by this). */
export const CHART_LABEL = 'Daily pain, fatigue and exertion against dose';

export interface ClinicianPageModel {
  view: PlanView;
  series: ProgressSeries;
  weeks: WeekRow[];
  today: string;
  proposal: ProposalModel;
  csrfToken: string;
  /** A result to announce at the top: role=status for success, role=alert for a problem. */
  message?: { role: 'status' | 'alert'; text: string };
}

/** A table in a region that scrolls sideways on a narrow screen (focusable, so the keyboard can scroll it). */
export function scrollingTable(id: string, caption: string, head: Html, rows: Html[]): Html {
  return html`<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0">
<table>
<caption id="${id}">${caption}</caption>
<thead>${head}</thead>
<tbody>
${rows}</tbody>
</table>
</div>`;
}

function planSection(view: PlanView, today: string): Html {
  const week = view.start !== undefined && today >= view.start ? Math.floor(daysBetween(view.start, today) / 7) + 1 : undefined;
  const rows = view.current.map(
    (o) => html`<tr><th scope="row">${o.exercise}</th><td>${phrase(o.domain)}</td><td>${doseText(o.dose)}</td><td>${scheduleText(o.perWeek, o.days)}</td><td>${
      o.since !== undefined ? formatDate(o.since) : '–'
    }</td><td>${phrase(o.status)}</td></tr>\n`,
  );
  const head = html`<tr><th scope="col">Exercise</th><th scope="col">Domain</th><th scope="col">Dose</th><th scope="col">Schedule</th><th scope="col">Dose since</th><th scope="col">Status</th></tr>`;
  return html`<section aria-labelledby="plan-heading">
<h2 id="plan-heading">Plan</h2>
<dl class="facts">
<dt>Phase</dt><dd>${phrase(view.phase)}${view.phaseSince !== undefined ? ` (since ${formatDate(view.phaseSince)})` : ''}</dd>
<dt>Program start</dt><dd>${view.start !== undefined ? formatDate(view.start) : 'not recorded'}${week !== undefined ? `, now in week ${week}` : ''}</dd>
<dt>Plan status</dt><dd>${phrase(view.status)}</dd>
</dl>
${view.current.length > 0 ? scrollingTable('orders-caption', 'Current exercises', head, rows) : html`<p>The plan lists no current exercises.</p>`}
</section>`;
}

/** The chart's data block: labels, the three daily series (0-10) and one stepped dose line per exercise (%). */
function chartData(series: ProgressSeries): unknown {
  const pick = (key: 'pain' | 'fatigue' | 'exertion'): (number | null)[] => series.days.map((d) => d[key] ?? null);
  return {
    labels: series.days.map((d) => formatDate(d.date).replace(/ \d{4}$/, '')),
    scores: [
      { label: 'Pain (0-10)', data: pick('pain') },
      { label: 'Fatigue (0-10)', data: pick('fatigue') },
      { label: 'Exertion, session RPE (0-10)', data: pick('exertion') },
    ],
    doses: series.doses.map((d) => ({ label: `${d.label} dose (%)`, data: d.percent })),
    axes: { score: 'Score (0-10)', dose: 'Dose (% of first prescribed)' },
  };
}

const cell = (n: number | undefined): string => (n === undefined ? '–' : String(n));

function progressSection(series: ProgressSeries): Html {
  const head = html`<tr><th scope="col">Date</th><th scope="col">Day</th><th scope="col">Pain</th><th scope="col">Fatigue</th><th scope="col">Exertion</th>${series.doses.map(
    (d) => html`<th scope="col">${d.label} dose</th>`,
  )}</tr>`;
  const rows = series.days.map(
    (d, i) =>
      html`<tr><th scope="row">${formatDate(d.date)}</th><td>${d.day}</td><td>${cell(d.pain)}</td><td>${cell(d.fatigue)}</td><td>${cell(d.exertion)}</td>${series.doses.map((line) => {
        const text = line.text[i];
        const percent = line.percent[i];
        return html`<td>${text == null ? '–' : percent == null ? text : `${text} (${percent}%)`}</td>`;
      })}</tr>\n`,
  );
  return html`<section aria-labelledby="progress-heading">
<h2 id="progress-heading">Progress over time</h2>
<p id="chart-help">Pain, fatigue and exertion are on the left axis (0-10). Each exercise's dose is a stepped line on the right axis, as a percentage of its first prescribed dose (sets × reps × load × duration).</p>
<div class="chart"><canvas id="progress-chart" role="img" aria-label="${CHART_LABEL}" aria-describedby="chart-help">The chart needs JavaScript; the same numbers are in the table below.</canvas></div>
<script type="application/json" id="chart-data">${jsonData(chartData(series))}</script>
<details>
<summary>Chart data as a table</summary>
${series.days.length > 0 ? scrollingTable('progress-caption', 'Daily values and doses over the program', head, rows) : html`<p>The program has not started yet.</p>`}
</details>
</section>`;
}

function adherenceSection(weeks: WeekRow[]): Html {
  const head = html`<tr><th scope="col">Week</th><th scope="col">Dates</th><th scope="col">Sessions done</th><th scope="col">Prescribed</th><th scope="col">Adherence</th></tr>`;
  const rows = weeks.map(
    (w) =>
      html`<tr><th scope="row">Week ${w.week}${w.current ? ' (so far)' : ''}</th><td>${formatDate(w.start)} – ${formatDate(w.end)}</td><td>${w.done}</td><td>${w.prescribed}</td><td>${share(
        w.done,
        w.prescribed,
      )}</td></tr>\n`,
  );
  return html`<section aria-labelledby="adherence-heading">
<h2 id="adherence-heading">Adherence per week</h2>
${weeks.length > 0 ? scrollingTable('adherence-caption', 'Sessions done and prescribed per program week', head, rows) : html`<p>The program has not started yet.</p>`}
</section>`;
}

/** The whole clinician page. */
export function clinicianPage(m: ClinicianPageModel): string {
  const message = m.message ? html`<p class="message message--${m.message.role}" role="${m.message.role}">${m.message.text}</p>` : '';
  const body = html`${message}
${planSection(m.view, m.today)}
${progressSection(m.series)}
${adherenceSection(m.weeks)}
${proposalSection(m.view.id, m.proposal, m.csrfToken)}`;
  return page({ h1: `Exercise plan for ${m.view.patientName}`, body, csrfToken: m.csrfToken, charts: true });
}

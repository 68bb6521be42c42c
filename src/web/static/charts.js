/*
 * Draws the clinician page's "Progress over time" chart with Chart.js (window.Chart, loaded before this
 * script from /static/chart.umd.js). In: the JSON data block #chart-data written by the server (labels,
 * three daily 0-10 series, one dose line per exercise in % of its first dose). Out: a line chart on
 * canvas #progress-chart. Nothing is computed here: this only configures Chart.js. No inline code is
 * needed, so the page's Content-Security-Policy holds.
 */
(function () {
  'use strict';
  var canvas = document.getElementById('progress-chart');
  var block = document.getElementById('chart-data');
  if (!canvas || !block || typeof window.Chart !== 'function') return;
  var data;
  try {
    data = JSON.parse(block.textContent || '{}');
  } catch (e) {
    return;
  }
  // Okabe-Ito colours (distinguishable with colour-blindness), with a point style per daily series as well.
  var SCORE_STYLE = [
    { color: '#D55E00', point: 'circle' },
    { color: '#0072B2', point: 'triangle' },
    { color: '#009E73', point: 'rect' },
  ];
  var DOSE_COLORS = ['#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999', '#882255'];
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  var scores = (data.scores || []).map(function (s, i) {
    var style = SCORE_STYLE[i % SCORE_STYLE.length];
    return {
      label: s.label,
      data: s.data,
      yAxisID: 'score',
      borderColor: style.color,
      backgroundColor: style.color,
      pointStyle: style.point,
      pointRadius: 3,
      spanGaps: true,
      borderWidth: 2,
    };
  });
  var doses = (data.doses || []).map(function (d, i) {
    var color = DOSE_COLORS[i % DOSE_COLORS.length];
    return {
      label: d.label,
      data: d.data,
      yAxisID: 'dose',
      stepped: 'after',
      borderColor: color,
      backgroundColor: color,
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 0,
    };
  });

  new window.Chart(canvas, {
    type: 'line',
    data: { labels: data.labels || [], datasets: scores.concat(doses) },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : undefined,
      interaction: { mode: 'index', intersect: false },
      scales: {
        score: { type: 'linear', position: 'left', min: 0, max: 10, title: { display: true, text: data.axes ? data.axes.score : '' } },
        dose: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          title: { display: true, text: data.axes ? data.axes.dose : '' },
        },
        x: { ticks: { maxRotation: 0, autoSkip: true } },
      },
      plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } },
    },
  });
})();

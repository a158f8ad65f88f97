/* Draws the statistics page's charts with the vendored Chart.js (static/vendor/chartjs). The data
   come from the JSON block #statistics-charts (no inline script: the CSP forbids it); each chart
   goes into the <canvas data-chart="key">. A canvas that was drawn gets data-drawn="1". */
(function () {
  "use strict";
  var PALETTE = ["#1f5fa8", "#8c1c13", "#1e7a46", "#a35d00", "#6b4fa0", "#0f7c86", "#b3261e", "#5d6878"];
  var REFERENCE = "#b3261e";

  function percentTick(value) { return value + "%"; }

  function config(spec) {
    var doughnut = spec.kind === "doughnut";
    var datasets = spec.series.map(function (series, i) {
      return {
        type: spec.kind, label: series.label, data: series.data,
        backgroundColor: doughnut ? PALETTE.slice(0, series.data.length) : PALETTE[i % PALETTE.length],
        borderColor: doughnut ? "#ffffff" : PALETTE[i % PALETTE.length],
        fill: false, tension: 0.2, order: 2
      };
    });
    if (spec.reference !== null && spec.reference !== undefined && !doughnut) {
      // The figure to beat, as a dashed line across the whole chart.
      datasets.push({
        type: "line", label: spec.referenceLabel, data: spec.labels.map(function () { return spec.reference; }),
        borderColor: REFERENCE, backgroundColor: REFERENCE, borderDash: [6, 4], borderWidth: 2, pointRadius: 0,
        fill: false, order: 1
      });
    }
    var options = {
      animation: false, responsive: true, maintainAspectRatio: true, aspectRatio: doughnut ? 2.2 : 2.4,
      plugins: { title: { display: true, text: spec.title }, legend: { display: true, position: "bottom" } }
    };
    if (!doughnut) {
      options.scales = { y: { beginAtZero: true } };
      if (spec.percent) {
        options.scales.y.max = 100;
        options.scales.y.ticks = { callback: percentTick };
      }
    }
    return { type: doughnut ? "doughnut" : "bar", data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  function draw() {
    var source = document.getElementById("statistics-charts");
    if (!source || typeof window.Chart === "undefined") { return; }
    JSON.parse(source.textContent).forEach(function (spec) {
      var canvas = document.querySelector('canvas[data-chart="' + spec.key + '"]');
      if (!canvas) { return; }
      new window.Chart(canvas, config(spec));
      canvas.setAttribute("data-drawn", "1");
    });
    document.documentElement.setAttribute("data-charts-drawn", "1");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());

/* Charts for the dashboard page. The page already shows every number as a table; this script only adds charts
   drawn from the same numbers (the JSON data island the server rendered from the dashboard selectors). Without
   JavaScript, or without Chart.js, the tables remain. */
(function () {
  "use strict";

  var COLOURS = {
    done: "#2e7d32", partially_done: "#9ccc65", in_progress: "#1e88e5", not_started: "#ffb300",
    not_done: "#c62828", missing: "#6d4c41", not_due: "#bdbdbd"
  };

  function canvasIn(figure) {
    var canvas = document.createElement("canvas");
    figure.appendChild(canvas);
    figure.removeAttribute("aria-hidden");
    figure.setAttribute("role", "img");
    return canvas;
  }

  function statusDatasets(buckets, labels) {
    return Object.keys(labels).map(function (status) {
      return {
        label: labels[status],
        backgroundColor: COLOURS[status],
        data: buckets.map(function (bucket) { return bucket.statuses[status]; })
      };
    });
  }

  function stacked(figure, names, buckets, labels) {
    figure.setAttribute("aria-label", figure.parentElement.querySelector("h2").textContent);
    return new window.Chart(canvasIn(figure), {
      type: "bar",
      data: { labels: names, datasets: statusDatasets(buckets, labels) },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } }
      }
    });
  }

  function draw(data) {
    var summary = data.summary;
    var labels = summary.status_labels;
    document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
      var kind = figure.getAttribute("data-chart");
      if (kind === "status") {
        var statuses = Object.keys(labels);
        figure.setAttribute("aria-label", figure.parentElement.querySelector("h2").textContent);
        new window.Chart(canvasIn(figure), {
          type: "doughnut",
          data: {
            labels: statuses.map(function (s) { return labels[s]; }),
            datasets: [{
              data: statuses.map(function (s) { return summary.statuses[s]; }),
              backgroundColor: statuses.map(function (s) { return COLOURS[s]; })
            }]
          },
          options: { animation: false, plugins: { legend: { position: "right" } } }
        });
      } else if (kind === "units") {
        stacked(figure, summary.by_unit.map(function (b) { return b.abbreviation; }), summary.by_unit, labels);
      } else if (kind === "sections") {
        stacked(figure, summary.by_section.map(function (b) { return b.number + ". " + b.title.slice(0, 40); }),
          summary.by_section, labels);
      } else if (kind === "levels") {
        stacked(figure, summary.by_risk_level.map(function (b) { return b.label; }), summary.by_risk_level, labels);
      } else if (kind === "trend") {
        var points = data.trend.points;
        figure.setAttribute("aria-label", figure.parentElement.querySelector("h2").textContent);
        new window.Chart(canvasIn(figure), {
          type: "line",
          data: {
            labels: points.map(function (p) { return p.label; }),
            datasets: [{
              label: figure.getAttribute("data-label") || "%",
              data: points.map(function (p) { return p.share_done; }),
              borderColor: COLOURS.done, backgroundColor: COLOURS.done, spanGaps: true
            }]
          },
          options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100 } } }
        });
      }
    });
    document.documentElement.setAttribute("data-charts", "drawn");
  }

  // Chart.js (200 kB) is fetched only after the page has loaded: the numbers and tables show first, the charts
  // follow, and nothing blocks the first paint.
  var chartSource = document.currentScript && document.currentScript.getAttribute("data-chart-js");

  function start() {
    var island = document.getElementById("dashboard-data");
    if (!island || !chartSource) { return; }
    var data = JSON.parse(island.textContent);
    if (!data || !data.summary) { return; }
    var script = document.createElement("script");
    script.src = chartSource;
    script.onload = function () { if (window.Chart) { draw(data); } };
    document.head.appendChild(script);
  }

  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();

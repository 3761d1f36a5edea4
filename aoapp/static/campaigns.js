// Campaign page: a bar chart of the campaign's prospects by status, drawn from the stats API
// (the same figures as the table beside it, which stays the accessible source without JS).
(function () {
  "use strict";

  var COLOURS = {
    new: "#6c757d",
    contacted: "#0dcaf0",
    interested: "#0d6efd",
    applied: "#6610f2",
    won: "#198754",
    rejected: "#dc3545",
    lost: "#fd7e14"
  };

  // The labels in the page's language, from the table beside the chart (the API gives English).
  function labelsOfTable() {
    var labels = {};
    document.querySelectorAll("#status-table tr[data-status]").forEach(function (row) {
      labels[row.dataset.status] = row.cells[0].textContent.trim();
    });
    return labels;
  }

  function draw(canvas, stats) {
    var lines = stats.prospects_by_status;
    var pageLabels = labelsOfTable();
    canvas.chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: lines.map(function (line) { return pageLabels[line.code] || line.label; }),
        datasets: [{
          label: canvas.dataset.seriesLabel || "Prospects",
          data: lines.map(function (line) { return line.count; }),
          backgroundColor: lines.map(function (line) { return COLOURS[line.code] || "#adb5bd"; })
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.dataset.rendered = lines.map(function (line) { return line.count; }).join(",");
  }

  function setUp() {
    var canvas = document.getElementById("campaign-chart");
    if (!canvas || typeof window.Chart === "undefined") {
      return;
    }
    fetch(canvas.dataset.url, {
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("stats " + response.status);
        }
        return response.json();
      })
      .then(function (stats) { draw(canvas, stats); })
      .catch(function () {
        canvas.setAttribute("aria-label", canvas.dataset.failedLabel || "The chart could not be loaded; see the table.");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());

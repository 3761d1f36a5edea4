// Dashboards: charts drawn with the vendored Chart.js from the dashboard JSON API (the page's
// `data-api` URL, read with the session cookie), and the team table sorted by its headers.
// The figures are also in the page's tables, so everything reads without this script.
(function () {
  "use strict";

  var KOL_COLOURS = { 1: "#198754", 2: "#ffc107", 3: "#fd7e14", 4: "#dc3545", 5: "#343a40" };
  var STATUS_COLOURS = {
    new: "#6c757d",
    contacted: "#0dcaf0",
    interested: "#0d6efd",
    applied: "#6610f2",
    won: "#198754",
    rejected: "#dc3545",
    lost: "#fd7e14"
  };
  var whole = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function rupiah(value) {
    return "Rp " + whole.format(value);
  }

  function percent(value) {
    return (value * 100).toFixed(2) + "%";
  }

  // An ISO date as the pages show dates: 2026-10-31 → 31/10/2026.
  function day(iso) {
    var parts = iso.split("-");
    return parts[2] + "/" + parts[1] + "/" + parts[0];
  }

  function label(code) {
    var text = String(code).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function quiet() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // One chart on the canvas with this id (none when the page has no such canvas).
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return null;
    }
    var options = config.options || {};
    options.responsive = true;
    options.maintainAspectRatio = false;
    if (quiet()) {
      options.animation = false;
    }
    config.options = options;
    var chart = new window.Chart(canvas, config);
    canvas.setAttribute("data-rendered", "true");
    return chart;
  }

  function moneyAxis() {
    return { beginAtZero: true, ticks: { callback: function (v) { return compact.format(v); } } };
  }

  function ratioAxis() {
    return { beginAtZero: true, ticks: { callback: function (v) { return percent(v); } } };
  }

  function tooltip(format) {
    return {
      callbacks: {
        label: function (item) {
          return item.dataset.label + ": " + format(item.parsed.y === undefined ? item.parsed : item.parsed.y);
        }
      }
    };
  }

  function kolChart(portfolio) {
    var rows = portfolio.kol_distribution;
    draw("chart-kol", {
      type: "bar",
      data: {
        labels: rows.map(function (row) { return "Kol " + row.kol + " · " + row.name; }),
        datasets: [{
          label: "Outstanding",
          data: rows.map(function (row) { return number(row.outstanding); }),
          backgroundColor: rows.map(function (row) { return KOL_COLOURS[row.kol]; })
        }]
      },
      options: {
        plugins: { legend: { display: false }, tooltip: tooltip(rupiah) },
        scales: { y: moneyAxis() }
      }
    });
  }

  function pipelineChart(pipeline) {
    var rows = pipeline.statuses;
    draw("chart-pipeline", {
      type: "bar",
      data: {
        labels: rows.map(function (row) { return label(row.status); }),
        datasets: [{
          label: "Prospects",
          data: rows.map(function (row) { return row.count; }),
          backgroundColor: rows.map(function (row) { return STATUS_COLOURS[row.status] || "#adb5bd"; })
        }]
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  function targetsChart(targets) {
    var rows = targets.metrics;
    draw("chart-targets", {
      type: "bar",
      data: {
        labels: rows.map(function (row) { return row.label; }),
        datasets: [{
          label: "Achievement",
          data: rows.map(function (row) { return number(row.achievement); }),
          backgroundColor: rows.map(function (row) { return row.met ? "#198754" : "#0d6efd"; })
        }]
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) { return percent(item.parsed.x); } } }
        },
        scales: { x: { beginAtZero: true, suggestedMax: 1, ticks: { callback: percent } } }
      }
    });
  }

  function trendCharts(trend) {
    var labels = trend.map(function (point) { return day(point.as_of); });
    draw("chart-trend-outstanding", {
      type: "line",
      data: {
        labels: labels,
        datasets: [{
          label: "Outstanding",
          data: trend.map(function (point) { return number(point.outstanding); }),
          borderColor: "#0d6efd",
          backgroundColor: "#0d6efd",
          tension: 0  // straight segments: a curve would invent values between month-ends
        }]
      },
      options: { plugins: { tooltip: tooltip(rupiah) }, scales: { y: moneyAxis() } }
    });
    draw("chart-trend-ratios", {
      type: "line",
      data: {
        labels: labels,
        datasets: [
          {
            label: "NPL ratio",
            data: trend.map(function (point) { return number(point.npl_ratio); }),
            borderColor: "#dc3545",
            backgroundColor: "#dc3545",
            tension: 0  // straight segments: a curve would invent values between month-ends
          },
          {
            label: "PAR 30",
            data: trend.map(function (point) { return number(point.par30_ratio); }),
            borderColor: "#fd7e14",
            backgroundColor: "#fd7e14",
            borderDash: [6, 4],
            tension: 0  // straight segments: a curve would invent values between month-ends
          }
        ]
      },
      options: { plugins: { tooltip: tooltip(percent) }, scales: { y: ratioAxis() } }
    });
  }

  function drawAll(data) {
    if (data.portfolio) {
      kolChart(data.portfolio);
    }
    if (data.pipeline) {
      pipelineChart(data.pipeline);
    }
    if (data.targets && data.targets.metrics) {
      targetsChart(data.targets);
    }
    if (data.trend) {
      trendCharts(data.trend);
    }
  }

  function loadCharts() {
    var root = document.querySelector("[data-dashboard-api]");
    if (!root || typeof window.Chart === "undefined") {
      return;
    }
    var status = document.getElementById("chart-status");
    fetch(root.getAttribute("data-dashboard-api"), {
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("dashboard " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        drawAll(data);
        root.setAttribute("data-charts", "drawn");
      })
      .catch(function () {
        root.setAttribute("data-charts", "failed");
        if (status) {
          status.textContent = "The charts could not be loaded; the tables show the same figures.";
          status.classList.remove("d-none");
        }
      });
  }

  // --- The team table: sort by a column, keep the totals row (tfoot) at the bottom ------------

  function sortValue(row, column) {
    var cell = row.cells[column];
    var value = cell ? cell.getAttribute("data-sort") : null;
    if (value === null || value === "") {
      return null;
    }
    var parsed = Number(value);
    return isNaN(parsed) ? value.toLowerCase() : parsed;
  }

  function compare(a, b, descending) {
    if (a.value === null || b.value === null) {
      // Nothing to rate (no prospects, no promises) goes last either way.
      return (a.value === null) - (b.value === null) || a.index - b.index;
    }
    if (a.value === b.value) {
      return a.index - b.index;
    }
    var order = a.value < b.value ? -1 : 1;
    return descending ? -order : order;
  }

  function sortTable(table, header) {
    var column = header.cellIndex;
    var descending = header.getAttribute("aria-sort") === "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row) {
      return { row: row, value: sortValue(row, column), index: Number(row.getAttribute("data-order")) };
    });
    rows.sort(function (a, b) { return compare(a, b, descending); });
    rows.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      if (cell.hasAttribute("aria-sort")) {
        cell.setAttribute("aria-sort", cell === header ? (descending ? "descending" : "ascending") : "none");
      }
    });
    var status = document.getElementById("team-sort-status");
    if (status) {
      status.textContent = "Sorted by " + header.textContent.trim() + ", " +
        (descending ? "descending" : "ascending") + ".";
    }
  }

  function sortable(table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, index) {
      row.setAttribute("data-order", String(index));
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
      if (!header.hasAttribute("data-sortable")) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) {
        button.appendChild(header.firstChild);
      }
      header.appendChild(button);
      header.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortTable(table, header); });
    });
  }

  function setUp() {
    loadCharts();
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable-table]"), sortable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());

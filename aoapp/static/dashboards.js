// Dashboards: charts drawn with the vendored Chart.js from the dashboard API's JSON, which the
// page carries in `data-charts-json` (the same figures as its `data-dashboard-api` URL answers,
// computed once for the view), the team table sorted by its headers, and its column groups.
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
  // The words and number formats of the page's language, rendered by the template into the
  // dashboard root's `data-i18n` attribute (aoapp/dashboards/views.script_texts); English and
  // the `en` formats when a page has none.
  var TEXT = {
    decimal: ".",
    group: ",",
    currency: "IDR",
    scale: [[1e12, "%(n)sT"], [1e9, "%(n)sB"], [1e6, "%(n)sM"], [1e3, "%(n)sK"]],
    outstanding: "Outstanding",
    npl_ratio: "NPL ratio",
    par30: "PAR 30",
    prospects: "Prospects",
    achievement: "Achievement",
    no_target: "No target",
    kol: {},
    statuses: {},
    metrics: {},
    sorted_ascending: "Sorted by %(column)s, ascending.",
    sorted_descending: "Sorted by %(column)s, descending.",
    failed: "The charts could not be loaded; the tables show the same figures."
  };

  function readTexts() {
    if (document.documentElement.lang === "id") {
      TEXT.decimal = ",";
      TEXT.group = ".";
      TEXT.currency = "Rp";
    }
    var root = document.querySelector("#dashboard[data-i18n]");
    if (!root) {
      return;
    }
    try {
      var given = JSON.parse(root.getAttribute("data-i18n"));
      Object.keys(given).forEach(function (key) { TEXT[key] = given[key]; });
    } catch (error) {
      // Unreadable: keep the English defaults.
    }
  }

  // "%(name)s" placeholders filled in, as the Python side writes messages.
  function fill(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] === undefined ? match : String(values[name]);
    });
  }

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  // A number in the page's language (document.documentElement.lang): 1.234,5 (id), 1,234.5 (en).
  function formatNumber(value, places) {
    var fixed = Math.abs(value).toFixed(places);
    var parts = fixed.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, TEXT.group);
    var sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
    return sign + whole + (parts.length > 1 ? TEXT.decimal + parts[1] : "");
  }

  // At most one decimal place, none when it is zero: 1,4 / 760.
  function shortNumber(value) {
    var rounded = Math.round(value * 10) / 10;
    return formatNumber(rounded, rounded % 1 === 0 ? 0 : 1);
  }

  function rupiah(value) {
    var sign = value < 0 ? "-" : "";
    return sign + TEXT.currency + " " + formatNumber(Math.abs(value), 0);
  }

  // An amount on an axis in the language's short scale: 760 jt, 1,4 M (id); 760M, 1.4B (en).
  function compact(value) {
    var size = Math.abs(value);
    for (var i = 0; i < TEXT.scale.length; i++) {
      if (size >= TEXT.scale[i][0]) {
        return fill(TEXT.scale[i][1], { n: shortNumber(value / TEXT.scale[i][0]) });
      }
    }
    return shortNumber(value);
  }

  function percent(value) {
    return formatNumber(value * 100, 2) + "%";
  }

  // An ISO date as the pages show dates: 2026-10-31 → 31/10/2026.
  function day(iso) {
    var parts = iso.split("-");
    return parts[2] + "/" + parts[1] + "/" + parts[0];
  }

  // A status code's label in the page's language (else 'social_media' → 'Social media').
  function label(code) {
    if (TEXT.statuses[code]) {
      return TEXT.statuses[code];
    }
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
    options.locale = document.documentElement.lang || "en";  // Chart.js's own number formats
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
    return { beginAtZero: true, ticks: { callback: function (v) { return compact(v); } } };
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
        labels: rows.map(function (row) {
          return TEXT.kol[String(row.kol)] || "Kol " + row.kol + " · " + row.name;
        }),
        datasets: [{
          label: TEXT.outstanding,
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
          label: TEXT.prospects,
          data: rows.map(function (row) { return row.count; }),
          backgroundColor: rows.map(function (row) { return STATUS_COLOURS[row.status] || "#adb5bd"; })
        }]
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + formatNumber(item.parsed.x, 0); }
            }
          }
        },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0, callback: function (v) { return formatNumber(v, 0); } } }
        }
      }
    });
  }

  function targetsChart(targets) {
    var rows = targets.metrics;
    draw("chart-targets", {
      type: "bar",
      data: {
        labels: rows.map(function (row) { return TEXT.metrics[row.key] || row.label; }),
        datasets: [{
          label: TEXT.achievement,
          data: rows.map(function (row) { return number(row.achievement); }),
          backgroundColor: rows.map(function (row) { return row.met ? "#198754" : "#0d6efd"; })
        }]
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.parsed.x === null ? TEXT.no_target : percent(item.parsed.x);
              }
            }
          }
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
          label: TEXT.outstanding,
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
            label: TEXT.npl_ratio,
            data: trend.map(function (point) { return number(point.npl_ratio); }),
            borderColor: "#dc3545",
            backgroundColor: "#dc3545",
            tension: 0  // straight segments: a curve would invent values between month-ends
          },
          {
            label: TEXT.par30,
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
    var root = document.querySelector("[data-charts-json]");
    if (!root || typeof window.Chart === "undefined") {
      return;
    }
    try {
      drawAll(JSON.parse(root.getAttribute("data-charts-json")));
      root.setAttribute("data-charts", "drawn");
    } catch (error) {
      root.setAttribute("data-charts", "failed");
      var status = document.getElementById("chart-status");
      if (status) {
        status.textContent = TEXT.failed;
        status.classList.remove("d-none");
      }
    }
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
      status.textContent = fill(descending ? TEXT.sorted_descending : TEXT.sorted_ascending, {
        column: header.textContent.trim()
      });
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

  // --- The team table's column groups: one group's figures at a time (`data-cols` on the table,
  // which dashboards.css reads), without a reload; the choice stays in the URL (?cols=) and in
  // the month and migration forms. Without this script every column shows (or the ?cols= the
  // server rendered, the group links being plain links).

  function withCols(href, key) {
    var url = new URL(href, window.location.href);
    url.searchParams.set("cols", key);
    return url.pathname + url.search + url.hash;
  }

  function keepCols(key) {
    Array.prototype.forEach.call(document.querySelectorAll("#period-form, #migration-form"), function (form) {
      var input = form.querySelector("input[name=cols]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "cols";
        form.appendChild(input);
      }
      input.value = key;
    });
    Array.prototype.forEach.call(document.querySelectorAll("#period-form a[href]"), function (link) {
      link.setAttribute("href", withCols(link.getAttribute("href"), key));
    });
  }

  function showGroup(table, buttons, key) {
    table.setAttribute("data-cols", key);
    Array.prototype.forEach.call(buttons, function (button) {
      var chosen = button.getAttribute("data-cols") === key;
      button.classList.toggle("active", chosen);
      if (chosen) {
        button.setAttribute("aria-current", "true");
      } else {
        button.removeAttribute("aria-current");
      }
    });
  }

  function columnGroups() {
    var table = document.getElementById("team-table");
    var buttons = document.querySelectorAll("#column-groups [data-cols]");
    if (!table || !buttons.length) {
      return;
    }
    showGroup(table, buttons, table.getAttribute("data-cols") || table.getAttribute("data-default-cols"));
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var key = button.getAttribute("data-cols");
        showGroup(table, buttons, key);
        keepCols(key);
        if (window.history && window.history.replaceState) {
          var url = new URL(window.location.href);
          url.searchParams.set("cols", key);
          window.history.replaceState(null, "", url.pathname + url.search + url.hash);
        }
      });
    });
  }

  function setUp() {
    readTexts();
    loadCharts();
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable-table]"), sortable);
    columnGroups();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());

// Reports page: the period picker shows only the inputs of the chosen kind of period (month,
// quarter or dates); a background batch's progress bar follows its status endpoint until the
// batch is finished, then shows the links to its reports. Without JavaScript every input stays
// visible and each batch links to its status page, which refreshes itself.
(function () {
  "use strict";

  var POLL_MS = 2000;

  function setUpPicker() {
    var picker = document.getElementById("period-picker");
    if (!picker) {
      return;
    }
    var radios = picker.querySelectorAll("input[name=period_kind]");
    function show() {
      var chosen = picker.querySelector("input[name=period_kind]:checked");
      var kind = chosen ? chosen.value : "month";
      picker.querySelectorAll("[data-period-kind]").forEach(function (block) {
        block.hidden = block.dataset.periodKind !== kind;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  }

  function render(box, status) {
    box.querySelector(".batch-text").textContent = status.text;
    var bar = box.querySelector(".progress");
    bar.setAttribute("aria-valuenow", String(status.percent));
    var fill = bar.querySelector(".progress-bar");
    fill.style.width = status.percent + "%";
    fill.textContent = status.percent + "%";
    if (!status.finished) {
      return;
    }
    box.dataset.finished = "true";
    fill.classList.remove("progress-bar-striped", "progress-bar-animated");
    if (status.stopped) {
      fill.classList.add("bg-danger");
    }
    var links = box.querySelector(".batch-links");
    links.textContent = "";
    status.links.forEach(function (link) {
      var anchor = document.createElement("a");
      anchor.className = "btn btn-sm btn-primary";
      anchor.href = link.url;
      anchor.textContent = link.label;
      links.appendChild(anchor);
    });
  }

  function follow(box) {
    fetch(box.dataset.statusUrl, {
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("batch status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        render(box, status);
        if (!status.finished) {
          window.setTimeout(function () { follow(box); }, POLL_MS);
        }
      })
      .catch(function () {
        window.setTimeout(function () { follow(box); }, POLL_MS * 5);  // a blip: try later
      });
  }

  function setUp() {
    setUpPicker();
    document.querySelectorAll(".report-batch[data-finished=false]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

// New handover: filter the customer list as one types, tick all the customers shown, and switch
// to "only the customers ticked" once one is ticked. The form works without this script.
(function () {
  "use strict";

  function setUp() {
    var form = document.getElementById("handover-form");
    var table = document.getElementById("candidates");
    if (!form || !table) {
      return;
    }
    var filter = document.getElementById("filter-customers");
    var tickShown = document.getElementById("tick-shown");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var selected = form.querySelector("input[name=scope][value=selected]");

    function chooseSelected() {
      if (selected) {
        selected.checked = true;
      }
    }

    filter.hidden = false;
    tickShown.hidden = false;
    filter.addEventListener("input", function () {
      var text = filter.value.trim().toLowerCase();
      rows.forEach(function (row) {
        row.hidden = text !== "" && row.dataset.search.indexOf(text) === -1;
      });
    });
    tickShown.addEventListener("click", function () {
      rows.forEach(function (row) {
        if (!row.hidden) {
          row.querySelector("input[type=checkbox]").checked = true;
        }
      });
      chooseSelected();
    });
    table.addEventListener("change", function (event) {
      if (event.target.checked) {
        chooseSelected();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();

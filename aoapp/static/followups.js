// Log-outcome form: show the promise-to-pay fields only for that outcome, and suggest the next
// follow-up the day after the promise's deadline. The form works without this script.
(function () {
  "use strict";

  function addDays(iso, days) {
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2] + days));
    return day.toISOString().slice(0, 10);
  }

  function setUp() {
    var form = document.getElementById("complete-form");
    if (!form) {
      return;
    }
    var outcome = form.querySelector("[name=outcome]");
    var ptpFields = document.getElementById("ptp-fields");
    var promisedDate = form.querySelector("[name=promised_date]");
    var nextDate = form.querySelector("[name=next_date]");
    var grace = parseInt(form.dataset.graceDays || "0", 10);
    var suggested = null;
    // A form shown again (after a refusal) carries the date suggested from the promise it had:
    // keep treating it as a suggestion, so correcting the promise moves it along.
    if (promisedDate && nextDate && promisedDate.value &&
        nextDate.value === addDays(promisedDate.value, grace + 1)) {
      suggested = nextDate.value;
    }

    function showPromise() {
      if (ptpFields && outcome) {
        var hasErrors = ptpFields.querySelector(".is-invalid") !== null;
        ptpFields.hidden = outcome.value !== form.dataset.ptp && !hasErrors;
      }
    }

    function suggestNext() {
      if (!promisedDate || !nextDate || !promisedDate.value) {
        return;
      }
      if (nextDate.value === "" || nextDate.value === suggested) {
        suggested = addDays(promisedDate.value, grace + 1);
        nextDate.value = suggested;
      }
    }

    if (outcome) {
      outcome.addEventListener("change", showPromise);
      showPromise();
    }
    if (promisedDate) {
      promisedDate.addEventListener("change", suggestNext);
    }
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();

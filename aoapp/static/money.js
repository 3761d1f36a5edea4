// Amount inputs (data-money="id"|"en"): digits typed on the phone's keypad are grouped the way
// the bank writes amounts when the officer leaves the field (75000000 → 75.000.000), and a hint
// under the field shows the amount as it will be read while it is typed. Anything else typed
// (75 jt, Rp 1,5 M) is left as it is: the server reads it (common/money.py) and says what is wrong.
(function () {
  "use strict";
  function group(digits, locale) {
    return digits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, locale === "id" ? "." : ",");
  }
  function plainDigits(value) {
    var compact = value.replace(/\s/g, "").replace(/^(rp\.?|idr)/i, "");
    return /^\d{4,}$/.test(compact) ? compact : null;
  }
  function hintFor(input) {
    var hint = input.parentNode.querySelector(".money-hint");
    if (!hint) {
      hint = document.createElement("div");
      hint.className = "form-text money-hint";
      hint.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", hint);
    }
    return hint;
  }
  document.querySelectorAll("input[data-money]").forEach(function (input) {
    var locale = input.getAttribute("data-money");
    var currency = locale === "id" ? "Rp " : "IDR ";
    input.addEventListener("input", function () {
      var digits = plainDigits(input.value);
      hintFor(input).textContent = digits ? currency + group(digits, locale) : "";
    });
    input.addEventListener("blur", function () {
      var digits = plainDigits(input.value);
      if (digits) {
        input.value = group(digits, locale);
      }
      hintFor(input).textContent = "";
    });
  });
})();

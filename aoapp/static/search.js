// The header's search: results as one types (200 ms after the last key, from 2 characters),
// read from the search API with the session cookie as the pages' scripts do. An ARIA combobox:
// up and down arrows choose a result, Enter opens it (or the results page when none is chosen),
// Escape closes the list. Without this script the box is a form that opens the results page.
(function () {
  "use strict";

  var DELAY = 200;
  var MIN_LENGTH = 2;
  var LIMIT = 8;
  var TEXT = {
    no_results: "No results for \u201c%(q)s\u201d.",
    see_all: "All results for \u201c%(q)s\u201d",
    count: "Results: %(num)s. Up and down arrows choose, Enter opens.",
    failed: "Search failed. Press Enter to open the results page."
  };

  function fill(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function setUp(form) {
    var input = form.querySelector("[role=combobox]");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = form.querySelector("[role=status]");
    var timer = null;
    var pending = null;
    var active = -1;
    try {
      var given = JSON.parse(form.getAttribute("data-i18n") || "{}");
      Object.keys(given).forEach(function (key) { TEXT[key] = given[key]; });
    } catch (error) {
      // Unreadable: keep the English texts.
    }

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    }

    function choose(index) {
      var all = options();
      active = all.length ? (index + all.length) % all.length : -1;
      all.forEach(function (option, n) {
        option.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function option(id, url) {
      var item = element("li", "list-group-item list-group-item-action py-1");
      item.id = id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.url = url;
      return item;
    }

    function resultOption(result, n) {
      var item = option("header-search-option-" + n, result.url);
      var head = element("div", "d-flex justify-content-between gap-2");
      head.appendChild(element("span", "fw-semibold", result.name));
      var kind = result.status_label ? result.kind_label + " \u00b7 " + result.status_label : result.kind_label;
      head.appendChild(element("span", "badge text-bg-light border align-self-center", kind));
      item.appendChild(head);
      var meta = [result.matched_label + ": " + result.matched_value];
      if (result.cif && result.matched !== "cif") {
        meta.push(result.cif);
      }
      [result.officer, result.branch].forEach(function (part) {
        if (part) {
          meta.push(part);
        }
      });
      item.appendChild(element("div", "search-meta", meta.join(" \u00b7 ")));
      return item;
    }

    function show(query, items) {
      list.textContent = "";
      items.forEach(function (result, n) { list.appendChild(resultOption(result, n)); });
      if (!items.length) {
        list.appendChild(element("li", "list-group-item text-body-secondary small", fill(TEXT.no_results, { q: query })));
      }
      var all = option("header-search-option-all", form.action + "?q=" + encodeURIComponent(query));
      all.classList.add("small", "text-primary");
      all.textContent = fill(TEXT.see_all, { q: query });
      list.appendChild(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = items.length ? fill(TEXT.count, { num: items.length }) : fill(TEXT.no_results, { q: query });
    }

    function lookUp() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        close();
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(query) + "&limit=" + LIMIT;
      fetch(url, {
        // The API speaks the Accept-Language asked for: the page's language, not the browser's.
        headers: {
          "X-Requested-With": "XMLHttpRequest",
          "Accept": "application/json",
          "Accept-Language": document.documentElement.lang || "id"
        },
        credentials: "same-origin",
        signal: pending.signal
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("search " + response.status);
          }
          return response.json();
        })
        .then(function (answer) {
          if (input.value.trim() === query) {
            show(query, answer.items);
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            close();
            status.textContent = TEXT.failed;
          }
        });
    }

    function open(index) {
      var target = options()[index];
      if (target) {
        window.location.assign(target.dataset.url);
      }
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          lookUp();
          return;
        }
        event.preventDefault();
        choose(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        open(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    // mousedown, not click: the input's blur would close the list first.
    list.addEventListener("mousedown", function (event) {
      var target = event.target.closest("[role=option]");
      if (target) {
        event.preventDefault();
        open(options().indexOf(target));
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.header-search[data-suggest-url]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());

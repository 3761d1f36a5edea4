// The queue page (/offline/queue): every entry logged without signal on this phone, from
// IndexedDB (queue-store.js) — waiting, sent and when, in conflict (what you logged beside what
// is there now, to send again on the current version or discard), or refused with the reason.
(function () {
  "use strict";
  var root = document.getElementById("offline-queue");
  if (!root || !window.AoQueue) {
    return;
  }
  var user = root.getAttribute("data-user");
  var texts = JSON.parse(root.getAttribute("data-texts") || "{}");
  var lang = document.documentElement.lang || "id";
  var BADGES = {waiting: "secondary", sent: "success", conflict: "warning", rejected: "danger"};
  var HIDDEN = {version: true, confirm_amount: true};

  function say(name, values) {
    var text = texts[name] || name;
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("{" + key + "}", values[key]);
    });
    return text;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit"});
  }

  function when(iso) {
    var day = new Date(iso);
    if (day.toDateString() === new Date().toDateString()) {
      return time(iso);
    }
    return day.toLocaleDateString(lang, {day: "numeric", month: "short"}) + " " + time(iso);
  }

  function shown(entry, name, value) {
    if (value === null || value === undefined || value === "") {
      return "—";
    }
    var choices = entry.choices[name];
    if (choices && Object.prototype.hasOwnProperty.call(choices, String(value))) {
      return choices[String(value)];
    }
    if (typeof value === "boolean") {
      return value ? say("yes") : "—";
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(String(value))) { // a date, as the reader writes dates
      var parts = String(value).split("-").map(Number);
      return new Date(parts[0], parts[1] - 1, parts[2])
        .toLocaleDateString(lang, {day: "numeric", month: "short", year: "numeric"});
    }
    return String(value);
  }

  function facts(entry, title, labels, values, id) {
    var box = el("div", "col-md-6");
    box.appendChild(el("h3", "h6 mt-2", title));
    var list = el("dl", "row small mb-1");
    list.id = id;
    Object.keys(labels).forEach(function (name) {
      if (HIDDEN[name] || !(name in values)) {
        return;
      }
      list.appendChild(el("dt", "col-5", labels[name]));
      list.appendChild(el("dd", "col-7 text-break", shown(entry, name, values[name])));
    });
    box.appendChild(list);
    return box;
  }

  function badge(entry) {
    var text = entry.status === "sent" ? say("sent", {time: when(entry.sent_at)}) : say(entry.status);
    var node = el("span", "badge queue-status text-bg-" + (BADGES[entry.status] || "secondary"), text);
    return node;
  }

  // The officer's answers: send again on the record's current version, or with the confirmation
  // the server asked for (a promise above the arrears).
  function resend(key, change) {
    return AoQueue.get(user, key).then(function (entry) {
      if (!entry) {
        return null;
      }
      change(entry);
      entry.status = "waiting";
      entry.message = entry.errors = entry.error_code = null;
      return AoQueue.put(user, entry).then(function () { return AoQueue.sendAll(user); });
    });
  }

  function onCurrentVersion(entry) {
    entry.body.version = String(entry.current.version);
    entry.current = null;
  }

  function withConfirmation(entry) {
    entry.body.confirm_amount = "y";
  }

  function resendable(entry) {
    if (entry.status !== "conflict" || !entry.current) {
      return false;
    }
    var wanted = entry.resend_if || {};
    return Object.keys(wanted).every(function (name) { return entry.current[name] === wanted[name]; });
  }

  function button(className, text, action) {
    var node = el("button", "btn btn-sm btn-touch " + className, text);
    node.type = "button";
    node.addEventListener("click", function () {
      node.disabled = true;
      Promise.resolve(action()).catch(function () { return null; }).then(render);
    });
    return node;
  }

  function problems(entry, body) {
    if (!entry.message && !entry.errors) {
      return;
    }
    var box = el("div", "small text-danger queue-message");
    box.appendChild(el("p", "mb-1", entry.message));
    Object.keys(entry.errors || {}).forEach(function (name) {
      var label = entry.labels[name] || name;
      [].concat(entry.errors[name]).forEach(function (message) {
        if (message !== entry.message) {
          box.appendChild(el("p", "mb-1", label + ": " + message));
        }
      });
    });
    body.appendChild(box);
  }

  function card(entry) {
    var article = el("article", "card mb-2 queue-entry");
    article.setAttribute("data-key", entry.key);
    article.setAttribute("data-status", entry.status);
    article.setAttribute("data-kind", entry.kind);
    var body = el("div", "card-body p-2");
    var head = el("div", "d-flex justify-content-between align-items-start gap-2");
    head.appendChild(el("h2", "h6 mb-1 text-break", entry.label));
    head.appendChild(badge(entry));
    body.appendChild(head);
    var meta = say("logged", {when: when(entry.logged_at)});
    if (entry.status !== "sent" && entry.attempts) {
      meta += " · " + say("tries", {count: entry.attempts, time: time(entry.tried_at)});
    }
    body.appendChild(el("p", "small text-muted mb-1", meta));
    problems(entry, body);
    if (entry.status === "conflict") {
      var row = el("div", "row queue-compare");
      row.appendChild(facts(entry, say("yours"), entry.labels, entry.body, "yours-" + entry.key));
      if (entry.current) {
        row.appendChild(facts(entry, say("now"), entry.current_fields, entry.current, "now-" + entry.key));
      } else {
        row.appendChild(el("p", "col-md-6 small", say("unreadable")));
      }
      body.appendChild(row);
    }
    if (entry.files && entry.files.length) {
      var sent = entry.files.filter(function (file) { return file.sent; }).length;
      body.appendChild(el("p", "small mb-1", say("photos", {sent: sent, count: entry.files.length})));
      entry.files.filter(function (file) { return file.refused; }).forEach(function (file) {
        body.appendChild(el("p", "small text-danger mb-1", say("photo_refused", {name: file.name, reason: file.refused})));
      });
    }
    var actions = el("div", "d-flex flex-wrap gap-2 mt-1");
    var link = el("a", "btn btn-sm btn-link btn-touch", say("open"));
    link.href = entry.result ? entry.result.url : entry.record_url;
    actions.appendChild(link);
    if (resendable(entry)) {
      actions.appendChild(button("btn-primary queue-resend", say("resend"), function () {
        return resend(entry.key, onCurrentVersion);
      }));
    }
    if (entry.status === "rejected" && entry.error_code === "confirmation_required") {
      actions.appendChild(button("btn-primary queue-confirm", say("confirm"), function () {
        return resend(entry.key, withConfirmation);
      }));
    }
    if (entry.status !== "sent") {
      actions.appendChild(button("btn-outline-danger queue-discard", say("discard"), function () {
        return window.confirm(say("discard_ask")) ? AoQueue.remove(user, entry.key) : null;
      }));
    }
    body.appendChild(actions);
    article.appendChild(body);
    return article;
  }

  function render() {
    return AoQueue.all(user).then(function (entries) {
      root.textContent = "";
      if (!entries.length) {
        root.appendChild(el("p", "text-muted queue-empty", say("none")));
      }
      entries.slice().reverse().forEach(function (entry) { root.appendChild(card(entry)); });
      root.setAttribute("data-rendered", String(entries.length));
    });
  }

  document.getElementById("queue-send").addEventListener("click", function () {
    AoQueue.sendAll(user).catch(function () { return null; }).then(render);
  });
  AoQueue.listen(render);
  render();
})();

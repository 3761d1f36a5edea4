// The pages' side of working without signal: registers the service worker (templates/offline/
// sw.js), gives each offline-capable form its idempotency key when it opens, shows the queue's
// count in the navbar and a banner on a saved copy, has today's agenda pages saved, sends the
// queue when the signal returns, and forgets every saved page and entry on logout.
(function () {
  "use strict";
  var who = document.querySelector('meta[name="aoapp-user"]');
  if (!who || !("serviceWorker" in navigator) || !window.AoQueue) {
    return;
  }
  var user = who.content;
  var indicator = document.getElementById("queue-indicator");
  var texts = indicator ? JSON.parse(indicator.getAttribute("data-texts") || "{}") : {};
  var lang = document.documentElement.lang || "id";

  function say(name, values) {
    var text = texts[name] || name;
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("{" + key + "}", values[key]);
    });
    return text;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function fillKeys() {
    document.querySelectorAll("input[data-offline-key]").forEach(function (input) {
      if (!input.value) {
        input.value = uuid(); // made when the form opens: sending it again logs nothing twice
      }
    });
  }

  // On the agenda (a saved copy shows the morning's state): the follow-ups logged since, waiting.
  function markQueued(open) {
    open.forEach(function (entry) {
      var found = /^\/followups\/(\d+)$/.exec(entry.kind === "followup-complete" ? entry.record_url : "");
      var card = found && document.querySelector("article[data-kind='follow_up'][data-id='" + found[1] + "']");
      if (card && !card.querySelector(".offline-in-queue")) {
        var badge = document.createElement("span");
        badge.className = "badge text-bg-warning offline-in-queue";
        badge.textContent = say("in_queue");
        card.querySelector("h3").appendChild(badge);
      }
    });
  }

  function refresh() {
    if (!indicator) {
      return Promise.resolve();
    }
    return AoQueue.all(user).then(function (entries) {
      var open = entries.filter(function (entry) { return entry.status !== "sent"; });
      markQueued(open);
      indicator.querySelector("[data-count]").textContent = String(open.length);
      indicator.hidden = entries.length === 0;
      indicator.classList.toggle("text-warning", open.length > 0);
    }).catch(function () { return null; });
  }

  function notice(kind, text) {
    var main = document.querySelector("main");
    if (!main) {
      return;
    }
    var box = document.createElement("div");
    box.className = "alert alert-" + kind + " offline-notice";
    box.setAttribute("role", "status");
    box.textContent = text;
    main.insertBefore(box, main.firstChild);
  }

  function day(iso) {
    return new Date(iso).toLocaleDateString("en-CA");
  }

  function banners() {
    var saved = document.body.getAttribute("data-offline-saved");
    if (document.body.hasAttribute("data-offline-missing")) {
      notice("warning", say("not_saved"));
    } else if (saved) {
      var when = new Date(saved);
      var time = when.toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit"});
      if (day(saved) !== day(new Date().toISOString())) {
        var date = when.toLocaleDateString(lang, {day: "numeric", month: "long", year: "numeric"});
        notice("danger offline-stale", say("other_day", {day: date, time: time}));
      } else {
        notice("secondary offline-copy", say("saved_copy", {time: time}));
      }
    }
    if (new URLSearchParams(location.search).get("queued")) {
      notice("info offline-queued", say("queued"));
    }
  }

  function warm(registration) {
    var list = document.getElementById("offline-warm");
    if (!list || !navigator.onLine || !registration.active) {
      return;
    }
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "warmed") {
        document.documentElement.setAttribute("data-offline-ready", String(event.data.count));
      }
    });
    registration.active.postMessage({type: "warm", urls: JSON.parse(list.getAttribute("data-urls"))});
  }

  function send() {
    if (!navigator.onLine) {
      return;
    }
    AoQueue.sendAll(user).then(function (result) {
      if (result && result.login && indicator) {
        indicator.title = say("log_in_to_send");
      }
    }).catch(function () { return null; }).then(refresh);
  }

  function forget() {
    var jobs = [AoQueue.forgetAll()];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }));
    }
    return Promise.all(jobs).catch(function () { return null; });
  }

  // The phone's storage answers in milliseconds; a logout never waits on it longer than this
  // (a database another tab or the service worker keeps open can hold a deletion back).
  var LOGOUT_WAIT_MS = 4000;

  function limited(promise, fallback) {
    return Promise.race([promise, new Promise(function (resolve) {
      setTimeout(resolve, LOGOUT_WAIT_MS, fallback);
    })]);
  }

  // Logging out leaves nothing of the user on the phone; entries not sent yet are lost, so ask.
  // The service worker is told to forget the saved pages too, in case the page's own deletion
  // is held back.
  function guardLogout() {
    document.querySelectorAll('form[data-logout]').forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        limited(AoQueue.all(user).catch(function () { return []; }), []).then(function (entries) {
          var unsent = entries.filter(function (entry) { return entry.status !== "sent"; });
          if (unsent.length && !window.confirm(say("logout_unsent", {count: unsent.length}))) {
            return;
          }
          if (navigator.serviceWorker.controller) {
            navigator.serviceWorker.controller.postMessage({type: "logout"});
          }
          limited(forget(), null).then(function () {
            document.documentElement.setAttribute("data-offline-forgotten", "1");
            form.submit();
          });
        });
      });
    });
  }

  fillKeys();
  banners();
  guardLogout();
  AoQueue.listen(refresh);
  refresh();
  window.addEventListener("online", send);
  window.addEventListener("pageshow", fillKeys);
  navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    warm(registration);
    send();
  }).catch(function () { return null; });
})();

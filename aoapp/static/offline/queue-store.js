// The offline queue, shared by the pages and the service worker (importScripts): what the
// officer logged without signal, kept in IndexedDB (one database per user), and sent to the API
// with the idempotency key made when the form was opened, so that sending twice logs it once.
// Entry status: waiting → sent, or conflict (the record changed meanwhile: 409), or rejected.
(function (scope) {
  "use strict";
  var PREFIX = "aoapp-queue-u";
  var STORE = "entries";
  var CHANNEL = "aoapp-queue";
  var LOCK = "aoapp-queue-send";
  var KEEP_SENT_DAYS = 7;
  var NOT_SENT = {csrf_token: true, idempotency_key: true, offline_entry: true};
  var REFUSED = [400, 403, 404, 413, 415, 422];

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open(user) {
    var request = indexedDB.open(PREFIX + user, 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore(STORE, {keyPath: "key"});
    };
    return done(request).then(function (db) {
      db.onversionchange = function () { db.close(); }; // let a logout delete it
      return db;
    });
  }

  function withStore(user, mode, work) {
    return open(user).then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result;
        Promise.resolve(work(transaction.objectStore(STORE))).then(function (value) {
          result = value;
        });
        transaction.oncomplete = function () { db.close(); resolve(result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
        transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function all(user) {
    return withStore(user, "readonly", function (store) {
      return done(store.getAll());
    }).then(function (entries) {
      var oldest = Date.now() - KEEP_SENT_DAYS * 86400000;
      return (entries || []).filter(function (entry) {
        return entry.status !== "sent" || Date.parse(entry.sent_at) > oldest;
      }).sort(function (a, b) { return a.logged_at < b.logged_at ? -1 : 1; });
    });
  }

  function put(user, entry) {
    return withStore(user, "readwrite", function (store) { store.put(entry); }).then(notify);
  }

  function remove(user, key) {
    return withStore(user, "readwrite", function (store) { store.delete(key); }).then(notify);
  }

  function notify() {
    if (typeof BroadcastChannel === "function") {
      var channel = new BroadcastChannel(CHANNEL);
      channel.postMessage("changed");
      channel.close();
    }
  }

  function listen(callback) {
    if (typeof BroadcastChannel === "function") {
      new BroadcastChannel(CHANNEL).onmessage = callback;
    }
  }

  // A queue entry from a submitted form: its fields (blank ones left out, as the form would
  // send nothing for them), its files, and what the form's hidden offline_entry says.
  function fromForm(form) {
    var meta;
    try {
      meta = JSON.parse(form.get("offline_entry") || "null");
    } catch (error) {
      return null;
    }
    var key = form.get("idempotency_key");
    if (!meta || !key) {
      return null;
    }
    var body = {};
    var files = [];
    form.forEach(function (value, name) {
      if (NOT_SENT[name]) {
        return;
      }
      if (typeof value === "string") {
        if (value.trim() !== "") {
          body[name] = value;
        }
      } else if (value && value.size) {
        files.push({field: name, name: value.name, type: value.type, blob: value, sent: false});
      }
    });
    Object.keys(meta.extra || {}).forEach(function (name) { body[name] = meta.extra[name]; });
    return {
      key: key, user: String(meta.user), kind: meta.kind, label: meta.label, api: meta.api,
      back: meta.back, record_url: meta.record_url, record_api: meta.record_api || null,
      result_url: meta.result_url || null, files_api: meta.files_api || null,
      labels: meta.labels || {}, choices: meta.choices || {}, current_fields: meta.current || {},
      resend_if: meta.resend_if || null, body: body, files: files,
      logged_at: new Date().toISOString(), status: "waiting", attempts: 0
    };
  }

  function headers(key, csrf, json) {
    var sent = {
      "Accept": "application/json",
      "X-Requested-With": "XMLHttpRequest",
      "X-CSRFToken": csrf,
      "Idempotency-Key": key
    };
    if (json) {
      sent["Content-Type"] = "application/json";
      sent["X-Typed-Input"] = "true"; // amounts as the officer typed them (Rp 2,5 jt)
    }
    return sent;
  }

  // Who is logged in, with a fresh CSRF token; null when nobody is (the login page answers).
  function session() {
    return fetch("/offline/session", {
      credentials: "same-origin",
      redirect: "manual",
      headers: {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) {
      return response.ok && response.type !== "opaqueredirect" ? response.json() : null;
    });
  }

  function answer(response) {
    return response.json().catch(function () { return {}; });
  }

  function currentState(entry) {
    if (!entry.record_api) {
      return Promise.resolve(null);
    }
    return fetch(entry.record_api, {
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  // Send one entry: the record first, then its files once the record exists. Answers what
  // became of it: "sent", "conflict", "rejected", or "offline"/"login"/"later" (still waiting).
  async function sendOne(user, entry, csrf) {
    if (!entry.result) {
      var response;
      entry.attempts = (entry.attempts || 0) + 1;
      entry.tried_at = new Date().toISOString();
      try {
        response = await fetch(entry.api, {
          method: "POST", credentials: "same-origin", headers: headers(entry.key, csrf, true),
          body: JSON.stringify(entry.body)
        });
      } catch (error) {
        await put(user, entry);
        return "offline";
      }
      var data = await answer(response);
      entry.message = data.message || null;
      entry.errors = data.errors || null;
      entry.error_code = data.error || null;
      if (response.ok) {
        var url = data.location || (entry.result_url || entry.record_url).replace("{id}", data.id);
        entry.result = {id: data.id || null, url: url};
        entry.message = entry.errors = entry.error_code = null;
      } else if (response.status === 409 && data.error !== "in_progress") {
        entry.status = "conflict";
        entry.current = await currentState(entry);
      } else if (REFUSED.indexOf(response.status) >= 0) {
        entry.status = "rejected";
      } else {
        await put(user, entry); // 401 (logged out), 409 in progress, 429, 5xx: try again later
        return response.status === 401 ? "login" : "later";
      }
      if (entry.status !== "waiting") {
        await put(user, entry);
        return entry.status;
      }
    }
    var left = await sendFiles(entry, csrf);
    if (left) {
      await put(user, entry);
      return left;
    }
    entry.status = "sent";
    entry.sent_at = new Date().toISOString();
    await put(user, entry);
    return "sent";
  }

  async function sendFiles(entry, csrf) {
    for (var i = 0; i < entry.files.length; i += 1) {
      var file = entry.files[i];
      if (file.sent || file.refused || !entry.files_api) {
        continue;
      }
      var form = new FormData();
      form.append("file", file.blob, file.name);
      var response;
      try {
        response = await fetch(entry.files_api.replace("{id}", entry.result.id), {
          method: "POST", credentials: "same-origin",
          headers: headers(entry.key + "-file-" + i, csrf, false), body: form
        });
      } catch (error) {
        return "offline";
      }
      if (response.ok) {
        file.sent = true;
        file.blob = null; // the photo is on the server now: free the phone's space
      } else if (response.status === 401 || response.status === 429 || response.status >= 500) {
        return response.status === 401 ? "login" : "later";
      } else {
        file.refused = (await answer(response)).message || String(response.status);
      }
    }
    return null;
  }

  // Send every waiting entry of the user, oldest first, one sender at a time (pages and the
  // service worker share a lock; a second sender would only be answered from the stored key).
  function sendAll(user) {
    var run = function () { return sendWaiting(user); };
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, run) : run();
  }

  async function sendWaiting(user) {
    var waiting = (await all(user)).filter(function (entry) { return entry.status === "waiting"; });
    if (!waiting.length) {
      return {waiting: 0};
    }
    var state;
    try {
      state = await session();
    } catch (error) {
      return {waiting: waiting.length, offline: true};
    }
    if (!state || String(state.user) !== String(user)) {
      return {waiting: waiting.length, login: true}; // never sent under another session
    }
    var left = 0;
    for (var i = 0; i < waiting.length; i += 1) {
      var result = await sendOne(user, waiting[i], state.csrf_token);
      if (result === "offline" || result === "login") {
        return {waiting: waiting.length - i, offline: result === "offline"};
      }
      left += result === "later" ? 1 : 0;
    }
    return {waiting: left};
  }

  function get(user, key) {
    return withStore(user, "readonly", function (store) { return done(store.get(key)); });
  }

  function forgetAll() {
    var names = indexedDB.databases ? indexedDB.databases() : Promise.resolve([]);
    return names.then(function (found) {
      return Promise.all(found.filter(function (db) {
        return db.name && db.name.indexOf(PREFIX) === 0;
      }).map(function (db) { return done(indexedDB.deleteDatabase(db.name)); }));
    });
  }

  scope.AoQueue = {
    all: all, get: get, put: put, remove: remove, fromForm: fromForm, sendAll: sendAll,
    listen: listen, forgetAll: forgetAll
  };
})(self);

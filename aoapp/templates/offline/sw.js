// aoapp's service worker (served from /sw.js by aoapp/offline/views.py): the officer's day keeps
// working without signal. Pages: network first, else the copy saved today (stamped with the
// time it was saved, in one cache per user: never one user's page for another). Static files
// the saved pages need: cache first. A form that cannot be sent is put in the offline queue (queue-store.js) and sent
// when the signal returns (Background Sync, or the pages' own tries).
importScripts({{ store|tojson }});

var VERSION = {{ version|tojson }};
var STATIC = "aoapp-static-" + VERSION;
var PAGES = "aoapp-pages-u";
var WHO = "aoapp-who";
var ASSETS = {{ assets|tojson }};
var SAVED = [
  /^\/agenda\/$/, /^\/followups\/\d+$/, /^\/followups\/\d+\/complete$/, /^\/customers\/\d+$/,
  /^\/visits\/new$/, /^\/offline\/queue$/
];
var QUEUED = [/^\/followups\/\d+\/complete$/, /^\/visits\/new$/];
var WARM_LIMIT = 80;

function matches(patterns, path) {
  return patterns.some(function (pattern) { return pattern.test(path); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return cache.addAll(ASSETS);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("aoapp-static-") === 0 && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The user whose pages are saved: the one named by the latest page (X-Aoapp-User).
function currentUser() {
  return caches.open(WHO).then(function (cache) {
    return cache.match("/offline/who");
  }).then(function (response) { return response ? response.text() : null; });
}

// A page of `user` arrived: remember them, and drop every other user's saved pages.
function remember(user) {
  return caches.open(WHO).then(function (cache) {
    return cache.put("/offline/who", new Response(user));
  }).then(function () { return caches.keys(); }).then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PAGES) === 0 && name !== PAGES + user;
    }).map(function (name) { return caches.delete(name); }));
  });
}

function save(request, response) {
  var user = response.headers.get("X-Aoapp-User");
  if (!response.ok || response.redirected || !user) {
    return Promise.resolve(false);
  }
  var headers = new Headers(response.headers);
  headers.set("X-Offline-Saved", new Date().toISOString());
  return response.clone().blob().then(function (body) {
    var copy = new Response(body, {status: response.status, headers: headers});
    return remember(user).then(function () {
      return caches.open(PAGES + user);
    }).then(function (cache) { return cache.put(request.url, copy); });
  }).then(function () { return true; });
}

// The saved copy of a page, marked for the page's script (offline.js shows when it was saved).
function savedCopy(url, missing) {
  return currentUser().then(function (user) {
    if (!user) {
      return null;
    }
    return caches.open(PAGES + user).then(function (cache) {
      return cache.match(url).then(function (found) {
        return found || cache.match(url, {ignoreSearch: true});
      });
    });
  }).then(function (found) {
    if (!found) {
      return missing ? savedCopy(new URL("/offline/queue", self.location.origin).href, false)
        .then(function (queue) { return queue && mark(queue, "data-offline-missing", url); }) : null;
    }
    return mark(found, "data-offline-saved", found.headers.get("X-Offline-Saved") || "");
  });
}

function mark(response, attribute, value) {
  return response.text().then(function (html) {
    var safe = value.replace(/[&"<>]/g, "");
    var body = html.replace("<body", "<body " + attribute + '="' + safe + '"');
    return new Response(body, {status: 200, headers: {"Content-Type": "text/html; charset=utf-8"}});
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    save(request, response.clone()).catch(function () { return false; });
    return response;
  }).catch(function () {
    return savedCopy(request.url, true).then(function (copy) {
      return copy || Response.error();
    });
  });
}

// The files the saved pages need (ASSETS, versioned with this worker): from the cache. Any other
// static file: from the network, its last copy kept for a day without signal.
function staticFile(request, path) {
  return caches.open(STATIC).then(function (cache) {
    if (ASSETS.indexOf(path) >= 0) {
      return cache.match(request).then(function (found) { return found || fetch(request); });
    }
    return fetch(request).then(function (response) {
      if (response.ok) {
        cache.put(request, response.clone());
      }
      return response;
    }).catch(function () {
      return cache.match(request).then(function (found) { return found || Response.error(); });
    });
  });
}

// A form that cannot reach the server goes into the queue; the officer is taken where the form
// would have taken them, told that it waits there.
function sendOrQueue(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return Promise.all([copy.formData(), currentUser()]).then(function (found) {
      var entry = AoQueue.fromForm(found[0]);
      if (!entry || entry.user !== found[1]) {
        return Response.error();
      }
      return AoQueue.put(entry.user, entry).then(function () {
        if (self.registration.sync) {
          self.registration.sync.register("aoapp-queue").catch(function () { return null; });
        }
        var back = new URL(entry.back || "/agenda/", self.location.origin);
        back.searchParams.set("queued", entry.key);
        return Response.redirect(back.href, 303);
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request, url.pathname));
  } else if (request.method === "GET" && request.mode === "navigate" && matches(SAVED, url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (request.method === "POST" && request.mode === "navigate" && matches(QUEUED, url.pathname)) {
    event.respondWith(sendOrQueue(request));
  }
});

function today() {
  return new Date().toLocaleDateString("en-CA");
}

// Save today's pages the agenda links to (once a day each): the forms then open without signal.
function warm(urls) {
  var pending = urls.filter(function (url) {
    return matches(SAVED, new URL(url, self.location.origin).pathname);
  }).slice(0, WARM_LIMIT);
  return currentUser().then(function (user) {
    return caches.open(PAGES + user);
  }).then(function (cache) {
    return pending.reduce(function (chain, url) {
      var absolute = new URL(url, self.location.origin).href;
      return chain.then(function (count) {
        return cache.match(absolute).then(function (found) {
          var saved = found && found.headers.get("X-Offline-Saved");
          if (saved && new Date(saved).toLocaleDateString("en-CA") === today()) {
            return count + 1;
          }
          return fetch(absolute, {credentials: "same-origin"}).then(function (response) {
            return save(new Request(absolute), response);
          }).then(function (ok) { return count + (ok ? 1 : 0); })
            .catch(function () { return count; });
        });
      });
    }, Promise.resolve(0));
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (message) {
    if (event.source) {
      event.source.postMessage(message);
    }
  };
  if (data.type === "warm") {
    event.waitUntil(warm(data.urls || []).then(function (count) {
      reply({type: "warmed", count: count});
    }));
  } else if (data.type === "logout") {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }).then(function () { reply({type: "forgotten"}); }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "aoapp-queue") {
    event.waitUntil(currentUser().then(function (user) {
      return user ? AoQueue.sendAll(user) : null;
    }).then(function (result) {
      if (result && result.offline) {
        throw new Error("still without signal"); // the browser tries the sync again later
      }
    }));
  }
});

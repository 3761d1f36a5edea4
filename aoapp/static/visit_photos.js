// Visit forms (credit/_visit_evidence.html): photos are made smaller on the phone before they
// are sent (long side at most 1600 px, JPEG at 0.85), and, only when the officer ticks "Save my
// location", the phone's position fills the hidden location fields. Without this script the
// form sends the photos as they are (the server makes them smaller too) and no position.
(function () {
  "use strict";

  var MAX_SIDE = 1600;
  var QUALITY = 0.85;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function size(bytes) {
    var lang = document.documentElement.lang || "id";
    if (bytes < 1e6) {
      return Math.max(1, Math.round(bytes / 1e3)).toLocaleString(lang) + " kB";
    }
    return (bytes / 1e6).toLocaleString(lang, { maximumFractionDigits: 1 }) + " MB";
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return Promise.reject(new Error("no createImageBitmap"));
  }

  // One photo, smaller: a JPEG no longer than MAX_SIDE; the original when it cannot be
  // decoded here (the server says why it refuses it) or is small already.
  function shrink(file) {
    if (!/^image\//.test(file.type) && file.type !== "") {
      return Promise.resolve(file);
    }
    return decode(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg" && file.size < 1500000) {
        return file;
      }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a transparent PNG on white, as the server does
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) {
        bitmap.close();
      }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) {
            resolve(file);
            return;
          }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () {
      return file;
    });
  }

  function setUpPhotos(box, form) {
    var input = box.querySelector("input[type=file]");
    var status = box.querySelector("#photo-status");
    var buttons = form.querySelectorAll("button[type=submit]");
    var limit = parseInt(box.dataset.maxPhotos || "10", 10);
    var busy = false;

    function setBusy(value) {
      busy = value;
      buttons.forEach(function (button) { button.disabled = value; });
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length || !window.DataTransfer) {
        status.textContent = "";
        return;
      }
      if (files.length > limit) {
        status.textContent = box.dataset.textTooMany;
        return;
      }
      setBusy(true);
      status.textContent = box.dataset.textPreparing;
      Promise.all(files.map(shrink)).then(function (smaller) {
        var transfer = new DataTransfer();
        var total = 0;
        smaller.forEach(function (file) {
          transfer.items.add(file);
          total += file.size;
        });
        input.files = transfer.files; // setting them fires no change event
        status.textContent = say(box.dataset.textReady, {
          count: smaller.length,
          size: size(total)
        });
        input.dataset.shrunk = String(smaller.length);
      }).finally(function () {
        setBusy(false);
      });
    });

    form.addEventListener("submit", function (event) {
      if (busy) {
        event.preventDefault(); // the smaller photos are nearly ready: wait for them
      }
    });
  }

  function setUpLocation(box) {
    var consent = box.querySelector("#location_consent");
    var status = box.querySelector("#location-status");
    var fields = {};
    ["latitude", "longitude", "accuracy", "located_at"].forEach(function (name) {
      fields[name] = box.querySelector("input[name=" + name + "]");
    });

    function clear() {
      Object.keys(fields).forEach(function (name) { fields[name].value = ""; });
    }

    function show(template, values) {
      status.textContent = say(template, values || {});
    }

    function locate() {
      if (!consent.checked) {
        clear();
        status.textContent = "";
        return;
      }
      if (!navigator.geolocation) {
        show(box.dataset.textUnavailable);
        return;
      }
      show(box.dataset.textLocating);
      navigator.geolocation.getCurrentPosition(function (position) {
        if (!consent.checked) {
          return; // unticked while the phone was looking
        }
        var c = position.coords;
        fields.latitude.value = c.latitude.toFixed(6);
        fields.longitude.value = c.longitude.toFixed(6);
        fields.accuracy.value = Math.round(c.accuracy);
        fields.located_at.value = new Date(position.timestamp).toISOString();
        show(box.dataset.textLocated, {
          coordinates: c.latitude.toFixed(5) + ", " + c.longitude.toFixed(5),
          accuracy: Math.round(c.accuracy)
        });
      }, function (error) {
        clear();
        show(error.code === 1 ? box.dataset.textDenied : box.dataset.textUnavailable);
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    }

    consent.addEventListener("change", locate);
    if (consent.checked && !fields.latitude.value) {
      locate(); // a form shown again after a refusal, ticked but without a position yet
    }
  }

  function setUp() {
    document.querySelectorAll("[data-photo-evidence]").forEach(function (box) {
      var form = box.closest("form");
      if (form) {
        setUpPhotos(box, form);
        setUpLocation(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

// Field work on a phone: nothing typed is lost, photos are shrunk before upload, a location is attached only
// when the worker asks. No inline script (the CSP forbids it); configuration comes from this script tag's
// data attributes (templates/includes/fieldwork_script.html, included in the head of the pages that have
// a form with data-draft and of the pages those forms lead to; the lead may move it into base.html).
//
// Drafts: every form that records something (method post, with a field to type or choose) keeps its values as
// the user types, for users who may edit service data (data-every-form): in localStorage (per user and form)
// and, when online, on the server (clients.Draft, encrypted). A form marked data-draft keeps one whatever the
// page; a form marked data-no-draft never does. The draft's key is the page's address, or, when a page holds
// several such forms (a case's stage records, contacts, referral), the address and "#" and the form's id or
// its action. A page that opens the form again (after a session ended and the worker logged in, or the next
// day) gets the values back. A submit marks the draft "pending" in sessionStorage: the login page (the session
// had ended; lib/decorators.py sends the worker back to the page the form was on) keeps it; the next page, if
// it is not the form shown again with its errors, means it was saved, and the draft is dropped on both sides.
// Fields marked data-no-draft, and any whose name says ID number, phone, password or code, are never kept.
(function () {
  "use strict";
  if (window.shegongFieldwork) { return; } // included twice: set up once
  window.shegongFieldwork = {};
  var script = document.currentScript;
  var cfg = script ? script.dataset : {};
  var user = cfg.user || "";
  var PREFIX = "shegong-draft:" + user + ":";
  var PENDING = "shegong-draft-pending";
  var WARN_BEFORE = 120; // seconds before the session ends
  // Identifiers and secrets never go into the browser's storage, whatever the form.
  var NEVER_KEPT = /(id_number|phone|mobile|password|otp|token|secret|bank)/i;

  function csrf() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function post(url, data) {
    var body = new URLSearchParams(data || {});
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }, redirect: "manual"
    });
  }

  function here() { return location.pathname + location.search; }

  // --- the session -----------------------------------------------------------------------------------
  var warnTimer = null, endTimer = null, banner = null;

  function showBanner(text, withButton) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "alert alert-warning shadow position-fixed bottom-0 start-0 end-0 m-2 mb-5";
      banner.setAttribute("role", "alert");
      banner.setAttribute("data-testid", "session-warning");
      banner.style.zIndex = 2000;
      document.body.appendChild(banner);
    }
    banner.textContent = text + " ";
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-primary ms-1";
      button.textContent = cfg.stayLabel || "Stay logged in";
      button.setAttribute("data-testid", "stay-logged-in");
      button.addEventListener("click", keepAlive);
      banner.appendChild(button);
    }
    banner.hidden = false;
  }

  function scheduleWarning(seconds) {
    if (!user || !seconds) { return; }
    clearTimeout(warnTimer); clearTimeout(endTimer);
    if (banner) { banner.hidden = true; }
    warnTimer = setTimeout(function () {
      saveAllLocal();
      showBanner(cfg.warnText || "Your session ends in two minutes.", true);
    }, Math.max(seconds - WARN_BEFORE, 1) * 1000);
    endTimer = setTimeout(function () {
      saveAllLocal();
      showBanner(cfg.endedText || "Your session has ended.", false);
    }, seconds * 1000);
  }

  function keepAlive() {
    if (!cfg.keepaliveUrl) { return; }
    post(cfg.keepaliveUrl).then(function (response) {
      if (response.ok) { return response.json(); }
      throw new Error("ended");
    }).then(function (data) {
      scheduleWarning(data.session_seconds);
    }).catch(function () {
      showBanner(cfg.endedText || "Your session has ended.", false);
    });
  }

  // --- drafts ----------------------------------------------------------------------------------------
  var forms = [];

  function valuesOf(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.hasAttribute("data-no-draft")) { return; }
      if (NEVER_KEPT.test(el.name)) { return; }
      if (el.type === "password" || el.type === "file" || el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "radio" || el.type === "checkbox")) {
        if (!el.checked) { return; }
        (data[el.name] = data[el.name] || []).push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        data[el.name] = [el.value];
      }
    });
    // The region picker's search box (no name: the code goes in its hidden field) shows the chosen name.
    Array.prototype.forEach.call(form.querySelectorAll("input[data-region-search][id]"), function (el) {
      data["#" + el.id] = [el.value];
    });
    var chips = form.querySelector("[data-picked-people]");
    if (chips) {
      data.__chips = Array.prototype.map.call(chips.querySelectorAll("[data-id]"), function (c) {
        return [c.dataset.id, c.firstChild ? c.firstChild.textContent.trim() : ""];
      });
    }
    return data;
  }

  function applyValues(form, data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || el.name === "csrfmiddlewaretoken") { return; }
      if (el.type === "password" || el.type === "file" || el.type === "submit") { return; }
      var values = data[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else {
        el.value = values[0];
      }
    });
    Object.keys(data).forEach(function (key) {
      var box = key.charAt(0) === "#" && document.getElementById(key.slice(1));
      if (box && form.contains(box)) { box.value = data[key][0]; }
    });
    // Checkboxes and radios absent from the draft were unchecked when it was kept.
    Array.prototype.forEach.call(form.elements, function (el) {
      if ((el.type === "checkbox") && el.name && !(el.name in data)) { el.checked = false; }
    });
  }

  function urlOf(form) { return form._draftUrl || form.dataset.draftUrl || here(); }
  function keyOf(form) { return PREFIX + urlOf(form); }

  function saveLocal(form) {
    var record = { data: valuesOf(form), saved: new Date().toISOString(), title: document.title };
    var photos = form.querySelector("input[type=file][data-shrink]");
    if (photos && photos._shrunk && photos._shrunk.length) {
      var size = photos._shrunk.reduce(function (n, p) { return n + p.length; }, 0);
      if (size < 3000000) { record.photos = photos._shrunk; }
    }
    try { localStorage.setItem(keyOf(form), JSON.stringify(record)); } catch (e) { /* storage full */ }
    return record;
  }

  function saveAllLocal() { forms.forEach(saveLocal); }

  var serverTimers = new WeakMap();
  function saveServer(form, record) {
    if (!cfg.draftsUrl || !navigator.onLine) { return; }
    clearTimeout(serverTimers.get(form));
    serverTimers.set(form, setTimeout(function () {
      post(cfg.draftsUrl, {
        url: urlOf(form), data: JSON.stringify(record.data), title: document.title
      }).then(function (response) {
        if (response.ok) {
          response.json().then(function (d) { if (d.session_seconds) { scheduleWarning(d.session_seconds); } });
        }
      }).catch(function () { /* offline: the local copy stays */ });
    }, 2000));
  }

  function dropDraft(url) {
    try { localStorage.removeItem(PREFIX + url); } catch (e) { /* ignore */ }
    if (cfg.draftsUrl && user) {
      fetch(cfg.draftsUrl + "?url=" + encodeURIComponent(url), {
        method: "DELETE", credentials: "same-origin", headers: { "X-CSRFToken": csrf() }
      }).catch(function () { /* the server copy is dropped by the view on save anyway */ });
    }
  }

  function dataUrlToFile(dataUrl, name) {
    var parts = dataUrl.split(","), bytes = atob(parts[1]), buffer = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { buffer[i] = bytes.charCodeAt(i); }
    return new File([buffer], name, { type: "image/jpeg" });
  }

  // When a draft was saved, on the phone's own clock: both the local copy's time (toISOString) and the
  // server's (updated_at) are UTC, eight hours behind what a worker in Beijing reads on the phone.
  function localTime(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) { return ""; }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function notice(form, saved) {
    var box = document.createElement("div");
    box.className = "alert alert-info py-2 small";
    box.setAttribute("data-testid", "draft-restored");
    box.textContent = (cfg.restoredText || "Restored what you typed before.") + " " + localTime(saved) + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-link p-0 align-baseline";
    discard.textContent = cfg.discardLabel || "Discard";
    discard.addEventListener("click", function () {
      dropDraft(urlOf(form));
      location.reload();
    });
    box.appendChild(discard);
    form.insertBefore(box, form.firstChild);
  }

  function restore(form, record) {
    applyValues(form, record.data || {});
    form.dispatchEvent(new CustomEvent("draft-restored", { detail: record.data || {} }));
    var input = form.querySelector("input[type=file][data-shrink]");
    if (input && record.photos && record.photos.length && window.DataTransfer) {
      var transfer = new DataTransfer();
      record.photos.forEach(function (url, i) { transfer.items.add(dataUrlToFile(url, "photo-" + (i + 1) + ".jpg")); });
      input.files = transfer.files;
      input._shrunk = record.photos.slice();
      previews(input);
    }
    notice(form, record.saved || "");
  }

  function hasErrors(form) {
    return !!form.querySelector(".is-invalid, .alert-danger, [data-testid=error-summary]");
  }

  function setUpDraft(form) {
    forms.push(form);
    var url = urlOf(form);
    // A form shown again with errors holds what was posted: keep the draft, do not overwrite the page.
    if (!hasErrors(form)) {
      var local = null;
      try { local = JSON.parse(localStorage.getItem(keyOf(form)) || "null"); } catch (e) { local = null; }
      if (local) {
        restore(form, local);
      } else if (cfg.draftsUrl && user) {
        fetch(cfg.draftsUrl + "?url=" + encodeURIComponent(url), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { draft: null }; })
          .then(function (d) {
            if (d.draft) { restore(form, { data: JSON.parse(d.draft.data), saved: d.draft.saved_at }); }
          }).catch(function () { /* offline */ });
      }
    }
    var onChange = function () { saveServer(form, saveLocal(form)); };
    form.addEventListener("input", onChange);
    form.addEventListener("change", onChange);
    form.addEventListener("submit", function () {
      saveLocal(form);
      sessionStorage.setItem(PENDING, JSON.stringify({ url: url, page: here() }));
    });
  }

  // Forms that keep a draft: those marked data-draft, and (for users who record service data) every form
  // that posts something typed or chosen, unless marked data-no-draft.
  function draftForms() {
    var every = cfg.everyForm !== undefined && user;
    var found = Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      if (form.hasAttribute("data-no-draft")) { return false; }
      if (form.hasAttribute("data-draft")) { return true; }
      if (!every || (form.getAttribute("method") || "get").toLowerCase() !== "post") { return false; }
      return Array.prototype.some.call(form.elements, function (el) {
        if (!el.name || el.hasAttribute("data-no-draft") || NEVER_KEPT.test(el.name)) { return false; }
        if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
        return el.tagName === "INPUT" && ["hidden", "submit", "button", "file", "password", "reset", "image"]
          .indexOf(el.type) === -1;
      });
    });
    // One form on the page: its address is the key; several: the address and which form.
    var seen = {};
    found.forEach(function (form) {
      if (form.dataset.draftUrl) { return; }
      if (found.length === 1) { form._draftUrl = here(); return; }
      var which = form.id || (form.getAttribute("action") || "").split("?")[0] || "form";
      seen[which] = (seen[which] || 0) + 1;
      form._draftUrl = here() + "#" + which + (seen[which] > 1 ? "-" + seen[which] : "");
    });
    return found;
  }

  // What became of the last submit: the login page keeps its draft (the session had ended), and so does the
  // form shown again with errors; anything else means it was saved.
  function settlePending(found) {
    var pending = null;
    try { pending = JSON.parse(sessionStorage.getItem(PENDING) || "null"); } catch (e) { pending = null; }
    if (!pending) { return; }
    if (!user) {
      pending.interrupted = true;
      sessionStorage.setItem(PENDING, JSON.stringify(pending));
      return;
    }
    sessionStorage.removeItem(PENDING);
    if (pending.interrupted) { return; } // back after logging in: the draft is restored below
    if (pending.page === here()) {
      var again = found.filter(function (form) { return urlOf(form) === pending.url; })[0];
      if (again && hasErrors(again)) { return; }
    }
    dropDraft(pending.url);
  }

  // --- photos: shrink in the browser before upload ---------------------------------------------------
  function previews(input) {
    var box = input.form && input.form.querySelector("[data-photo-previews]");
    if (!box) { return; }
    box.textContent = "";
    (input._shrunk || []).forEach(function (url, i) {
      var img = document.createElement("img");
      img.src = url;
      img.alt = String(i + 1);
      img.className = "img-thumbnail";
      img.style.maxWidth = "90px";
      img.style.maxHeight = "90px";
      box.appendChild(img);
    });
  }

  function shrink(file, max) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () {
          var scale = Math.min(1, max / Math.max(img.width, img.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          var ctx = canvas.getContext("2d");
          ctx.fillStyle = "#fff";
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve(canvas.toDataURL("image/jpeg", 0.8));
        };
        img.onerror = function () { resolve(null); };
        img.src = reader.result;
      };
      reader.onerror = function () { resolve(null); };
      reader.readAsDataURL(file);
    });
  }

  function setUpPhotos(input) {
    var max = parseInt(input.dataset.shrink, 10) || 1600;
    input.addEventListener("change", function () {
      if (input._replacing) { return; }
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length || !window.DataTransfer) { return; }
      var form = input.form, button = form && form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      Promise.all(files.map(function (f) { return shrink(f, max); })).then(function (urls) {
        var transfer = new DataTransfer(), kept = [];
        urls.forEach(function (url, i) {
          if (url) {
            kept.push(url);
            transfer.items.add(dataUrlToFile(url, "photo-" + (i + 1) + ".jpg"));
          } else {
            transfer.items.add(files[i]); // not an image the browser reads: the server names the problem
          }
        });
        input._replacing = true;
        input.files = transfer.files;
        input._replacing = false;
        input._shrunk = kept;
        input.dataset.shrunk = String(kept.length);
        previews(input);
        if (form && form.hasAttribute("data-draft")) { saveLocal(form); }
        if (button) { button.disabled = false; }
      });
    });
  }

  // --- location: only when the worker asks, as evidence of the visit ---------------------------------
  function setUpLocation(button) {
    button.addEventListener("click", function () {
      var form = button.form, shown = form.querySelector("[data-location-shown]");
      if (!navigator.geolocation) { if (shown) { shown.textContent = "—"; } return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.latitude.value = position.coords.latitude.toFixed(6);
        form.elements.longitude.value = position.coords.longitude.toFixed(6);
        if (shown) { shown.textContent = form.elements.latitude.value + ", " + form.elements.longitude.value; }
        form.dispatchEvent(new Event("change"));
      }, function () { if (shown) { shown.textContent = cfg.noLocationText || "—"; } }, { timeout: 15000 });
    });
  }


  // --- the person picker: name, pinyin initials or the last 4 of the ID number; one or several people ---
  function setUpPicker(input) {
    var form = input.form, hidden = form && form.elements.people, chips = form && form.querySelector("[data-picked-people]");
    if (!hidden || !chips) { return; }
    input.parentNode.insertBefore(chips, input.nextSibling);
    var list = document.createElement("div");
    list.className = "list-group position-absolute shadow";
    list.style.zIndex = 1050;
    list.setAttribute("data-testid", "picker-results");
    input.parentNode.style.position = "relative";
    input.parentNode.insertBefore(list, chips);
    function ids() { return hidden.value ? hidden.value.split(",").filter(Boolean) : []; }
    function sync() {
      hidden.value = Array.prototype.map.call(chips.querySelectorAll("[data-id]"), function (c) { return c.dataset.id; }).join(",");
      form.dispatchEvent(new Event("change"));
    }
    function chip(id, name) {
      if (ids().indexOf(String(id)) !== -1) { return; }
      var span = document.createElement("span");
      span.className = "badge text-bg-primary fs-6";
      span.dataset.id = id;
      span.textContent = name + " ";
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn-close btn-close-white btn-sm";
      span.appendChild(close);
      chips.appendChild(span);
      sync();
    }
    form.addEventListener("draft-restored", function (event) {
      chips.textContent = "";
      (event.detail.__chips || []).forEach(function (pair) { chip(pair[0], pair[1]); });
      sync();
    });
    chips.addEventListener("click", function (event) {
      if (event.target.classList.contains("btn-close")) { event.target.parentNode.remove(); sync(); }
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var term = input.value.trim();
      if (!term) { list.textContent = ""; return; }
      timer = setTimeout(function () {
        fetch(input.dataset.personPicker + "?q=" + encodeURIComponent(term), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (d) {
            list.textContent = "";
            d.results.forEach(function (p) {
              var item = document.createElement("button");
              item.type = "button";
              item.className = "list-group-item list-group-item-action";
              item.textContent = p.name + " · " + p.village + (p.id_tail ? " · " + p.id_tail : "");
              item.addEventListener("click", function () {
                chip(p.id, p.name);
                input.value = "";
                list.textContent = "";
                input.focus();
              });
              list.appendChild(item);
            });
          }).catch(function () { list.textContent = ""; });
      }, 250);
    });
  }

  // For tests and for pages that learn of a renewed session another way.
  window.shegongFieldwork.scheduleWarning = function (seconds) { scheduleWarning(seconds); };

  function start() {
    document.querySelectorAll("input[type=file][data-shrink]").forEach(setUpPhotos);
    document.querySelectorAll("input[data-person-picker]").forEach(setUpPicker);
    document.querySelectorAll("[data-attach-location]").forEach(setUpLocation);
    var found = draftForms();
    settlePending(found);
    if (user) { found.forEach(setUpDraft); }
    scheduleWarning(parseInt(cfg.sessionSeconds, 10));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Push notifications from the bell (progressive enhancement, no build step).
   The markup (templates/push/bell_offer.html) is the same for every reader and hidden; this
   script shows it when the browser can receive pushes. The service worker is registered
   only when the reader turns notifications on. Requests carry no cookie. */
(function () {
  "use strict";
  var box = document.querySelector("[data-push]");
  if (!box || !window.fetch || !("serviceWorker" in navigator) || !("PushManager" in window)) return;

  var status = box.querySelector("[data-push-status]");
  var select = box.querySelector("[data-push-section]");
  var onButton = box.querySelector("[data-push-subscribe]");
  var offButton = box.querySelector("[data-push-unsubscribe]");
  var radios = box.querySelectorAll("input[name=push-choice]");
  var key = "";
  var current = null;
  // The reader's choice, remembered on this device only, to show it again on the next page.
  var CHOICE_KEY = "levant24:push-choice";

  function remember(data) {
    try {
      if (data) localStorage.setItem(CHOICE_KEY, JSON.stringify(data));
      else localStorage.removeItem(CHOICE_KEY);
    } catch (e) { /* private mode: nothing remembered */ }
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(CHOICE_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.sections || !saved.sections.length) return;
    box.querySelector("input[value=section]").checked = true;
    select.disabled = false;
    select.value = String(saved.sections[0]);
  }

  function say(name) { status.textContent = box.getAttribute("data-msg-" + name) || ""; }

  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function choice() {
    var section = box.querySelector("input[value=section]").checked && select.value;
    return { breaking: true, sections: section ? [parseInt(select.value, 10)] : [] };
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.error || "");
        return data;
      });
    });
  }

  function fail(error) {
    if (error && error.message) status.textContent = error.message; else say("error");
  }

  function show(subscribed) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
  }

  function payload(subscription, extra) {
    var data = subscription.toJSON();
    var out = { endpoint: data.endpoint, keys: data.keys };
    for (var k in extra) out[k] = extra[k];
    return out;
  }

  onButton.addEventListener("click", function () {
    onButton.disabled = true;
    navigator.serviceWorker.register(box.getAttribute("data-worker"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(key)
        });
      })
      .then(function (subscription) {
        current = subscription;
        return post(box.getAttribute("data-subscribe"), payload(subscription, choice()));
      })
      .then(function () { remember(choice()); show(true); say("on"); })
      .catch(function (error) {
        if (window.Notification && Notification.permission === "denied") say("denied"); else fail(error);
      })
      .then(function () { onButton.disabled = false; });
  });

  offButton.addEventListener("click", function () {
    if (!current) return;
    var body = payload(current, {});
    current.unsubscribe()
      .then(function () { return post(box.getAttribute("data-unsubscribe"), body); })
      .then(function () { current = null; remember(null); show(false); say("off"); })
      .catch(fail);
  });

  function choiceChanged() {
    select.disabled = !box.querySelector("input[value=section]").checked;
    if (current) {
      post(box.getAttribute("data-choice"), payload(current, choice()))
        .then(function () { remember(choice()); say("saved"); })
        .catch(fail);
    }
  }
  for (var i = 0; i < radios.length; i++) radios[i].addEventListener("change", choiceChanged);
  select.addEventListener("change", choiceChanged);

  fetch(box.getAttribute("data-config"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (config) {
      if (!config || !config.key) return null;
      key = config.key;
      (config.sections || []).forEach(function (section) {
        var option = document.createElement("option");
        option.value = String(section.id);
        option.textContent = section.name;
        select.appendChild(option);
      });
      box.hidden = false;
      return navigator.serviceWorker.getRegistration("/");
    })
    .then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    })
    .then(function (subscription) {
      current = subscription;
      if (subscription) restore(); else remember(null);
      show(!!subscription);
    })
    .catch(function () {});
})();

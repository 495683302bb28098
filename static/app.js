// Tornetic's own small script (CSP allows only our files). Everything here is
// an enhancement: pages read and forms post without it.
(function () {
  "use strict";

  // Fixed-total scoring: typing one side fills the other (14 -> 10 for 24).
  document.addEventListener("input", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[data-pair]")) return;
    var form = input.form;
    var total = form && parseInt(form.getAttribute("data-total"), 10);
    if (!total) return;
    var other = form.querySelector("input[name='" + input.getAttribute("data-pair") + "']");
    var v = parseInt(input.value, 10);
    if (other && !isNaN(v) && v >= 0 && v <= total) other.value = String(total - v);
  });

  // Round countdowns: any element with data-deadline (ms since epoch).
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Math.max(0, Math.round((parseInt(el.getAttribute("data-deadline"), 10) - now) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      el.classList.toggle("error", left === 0);
    });
  }
  setInterval(tick, 1000);
  tick();

  // Public screen: alternate standings and courts, page long standings.
  var screen = document.querySelector("[data-screen]");
  if (screen) {
    var step = 0;
    setInterval(function () {
      var panes = screen.querySelectorAll(".screen-pane");
      if (panes.length === 0) return;
      var rows = screen.querySelectorAll("#standings tbody tr");
      var perPage = parseInt(screen.getAttribute("data-page-size"), 10) || 10;
      var pages = Math.max(1, Math.ceil(rows.length / perPage));
      var slots = pages + (panes.length > 1 ? 1 : 0);
      step = (step + 1) % slots;
      var showCourts = panes.length > 1 && step === pages;
      panes[0].hidden = showCourts;
      if (panes[1]) panes[1].hidden = !showCourts;
      var page = showCourts ? 0 : step;
      rows.forEach(function (r, i) { r.hidden = Math.floor(i / perPage) !== page; });
    }, 8000);
  }

  // The phone page marks the player's own row; live updates replace the
  // table (the same fragment for everyone), so mark it again after a swap.
  function markMe() {
    document.querySelectorAll("[data-me]").forEach(function (box) {
      var me = box.getAttribute("data-me");
      box.querySelectorAll("tr[data-player]").forEach(function (tr) {
        tr.classList.toggle("me", tr.getAttribute("data-player") === me);
      });
    });
  }
  document.addEventListener("htmx:afterSettle", markMe);
  document.addEventListener("htmx:sseMessage", markMe);

  // Keep the CSRF header current after htmx swaps a fresh page in.
  document.addEventListener("htmx:responseError", function (e) {
    var box = document.getElementById("toast");
    if (box) box.textContent = "Could not save: " + (e.detail.xhr.status === 0 ? "offline" : e.detail.xhr.statusText);
  });
})();

// Fallback when Server-Sent Events are unavailable (a proxy that buffers, an
// old browser): poll the standings fragment. The server answers 304 via ETag
// when nothing changed, so polling phones cost almost nothing.
(function () {
  "use strict";
  var timer = null;
  function poll() {
    document.querySelectorAll("[data-poll]").forEach(function (el) {
      if (window.htmx) window.htmx.ajax("GET", el.getAttribute("data-poll"), { target: el, swap: "innerHTML" });
    });
  }
  function start() { if (!timer) timer = setInterval(poll, 10000); }
  function stop() { if (timer) { clearInterval(timer); timer = null; } }
  document.addEventListener("htmx:sseError", start);
  document.addEventListener("htmx:sseOpen", stop);
  if (!window.EventSource) start();
})();

/* Support-portal deep links: `?client=<id>` or `#client=<id>` on a page selects that client's
 * content tab on load (and on every instant navigation), so the portal can send an Outlook user
 * straight to the Outlook fix. A tab is found by, in order: an element with
 * `data-client="<id>"`, `id="fix-<id>"`, `id="client-<id>"` or `id="<id>"` inside (or being) a
 * pymdownx.tabbed block, label or input; failing those, the tab whose content links to that
 * client's guide (`.../clients/<id>/`). Unknown ids are ignored (the page still works).
 * tests/publish/links.py mirrors this lookup for the link-contract test; keep them in step.
 * Plain ES2017, no inline code: it runs under the site's strict Content-Security-Policy. */
(function () {
  "use strict";

  var ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

  /** The client id requested by the URL, or null. */
  function requestedClient(loc) {
    var fromQuery = new URLSearchParams(loc.search).get("client");
    var hash = loc.hash.replace(/^#/, "");
    var fromHash = hash.indexOf("client=") === 0 ? decodeURIComponent(hash.slice(7)) : null;
    var id = fromHash || fromQuery;
    return id && ID.test(id) ? id : null;
  }

  /** The radio input of the tab that holds `el`, or null. */
  function tabInputFor(el) {
    if (el.matches("input[type=radio]") && el.closest(".tabbed-set")) return el;
    if (el.matches(".tabbed-labels > label") && el.htmlFor) return document.getElementById(el.htmlFor);
    var block = el.closest(".tabbed-block");
    if (!block) return null;
    var set = block.closest(".tabbed-set");
    var blocks = Array.prototype.filter.call(block.parentElement.children, function (c) {
      return c.classList.contains("tabbed-block");
    });
    var inputs = Array.prototype.filter.call(set.children, function (c) {
      return c.matches("input[type=radio]");
    });
    return inputs[blocks.indexOf(block)] || null;
  }

  /** Select the tab of client `id`; returns the input that was selected, or null. */
  function selectClient(id) {
    var selectors = ['[data-client="' + id + '"]', '[id="fix-' + id + '"]', '[id="client-' + id + '"]',
                     '[id="' + id + '"]'];
    var candidates = selectors.map(function (sel) { return document.querySelector(sel); });
    Array.prototype.forEach.call(document.querySelectorAll(".tabbed-block a[href]"), function (a) {
      var path = new URL(a.getAttribute("href"), location.href).pathname;
      var m = /\/clients\/([^/]+)\/(index\.html)?$/.exec(path);
      if (m && m[1] === id) candidates.push(a);
    });
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i];
      var input = el && tabInputFor(el);
      if (!input) continue;
      // Select every enclosing tab too (nested tab sets), outermost first.
      var outer = [];
      for (var p = input.closest(".tabbed-set").parentElement; p; p = p.parentElement) {
        if (p.classList.contains("tabbed-block")) {
          var o = tabInputFor(p);
          if (o) outer.unshift(o);
        }
      }
      outer.concat([input]).forEach(function (inp) {
        if (!inp.checked) inp.click();   // click() fires `change`, so Material's tab logic follows
      });
      input.closest(".tabbed-set").scrollIntoView({ block: "start" });
      document.documentElement.setAttribute("data-help-client", id);
      return input;
    }
    return null;
  }

  function apply() {
    var id = requestedClient(window.location);
    if (id) selectClient(id);
  }

  window.helpPortal = { requestedClient: requestedClient, selectClient: selectClient };
  window.helpOnPage(apply);      // Material: first load and every instant navigation
  window.addEventListener("hashchange", apply);
})();

/* Accessibility fixes for Material's own markup (the help centre's pages have no other violation
 * that axe-core rates serious or critical; tests/browser/test_pages.py checks every page).
 * - The search overlay is role="dialog" without an accessible name (axe: aria-dialog-name).
 * Idempotent; re-applied on every page of Material's instant navigation (document$). */
(function () {
  "use strict";
  function fix() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-search[role=dialog]:not([aria-label])"),
      function (dialog) { dialog.setAttribute("aria-label", "Search"); });
  }
  window.helpOnPage(fix);
}());

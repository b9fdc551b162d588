/* helpOnPage(fn): run fn on every page view — Material's document$ emits on the first load and on
 * every instant navigation; without Material's bundle, once the DOM is ready. Loaded before the
 * help centre's other scripts, which all mount through it (so each must be idempotent). */
(function () {
  "use strict";
  window.helpOnPage = function (fn) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(fn);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  };
}());

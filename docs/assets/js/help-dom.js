/* help.js's DOM basics: the one mount helper every widget uses and the one element builder. Import
 * them from "./help.js" (which re-exports them), not from here. */

/* ---- mounting ---------------------------------------------------------------------------------- */

/** Run `fn` on every page view: Material's document$ emits on the first load and on every instant
 * navigation (it replays the current page to late subscribers); without Material, once now. */
export function onPage(fn) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => {
      fn();
    });
  } else {
    fn(); /* a module runs after the document is parsed */
  }
}

/** On every page view, call `create(root)` once for each element matching `selector` (elements are
 * marked data-help-mounted, so a page view, an instant navigation back or a second import never mounts
 * one twice). Returns nothing; `create` may keep what it needs on the element. */
export function mount(selector, create) {
  onPage(() => {
    document.querySelectorAll(selector).forEach((root) => {
      if (root.hasAttribute("data-help-mounted")) {
        return;
      }
      root.setAttribute("data-help-mounted", "");
      create(root);
    });
  });
}

/** A new element: `attrs` become attributes (true: present and empty; null, undefined or false: left
 * out; "text": the text content), `children` (elements or strings, never parsed as HTML; empty ones
 * skipped) are appended. The one DOM builder of the widgets: pasted or typed text stays text. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child) node.append(child);
  }
  return node;
}

/** Show the parts of a widget that only make sense with JavaScript (marked data-help-js-only). */
export function reveal(root) {
  root.querySelectorAll("[data-help-js-only]").forEach((el) => {
    el.hidden = false;
  });
}

/* The small "Paste the error message" form (home page, article): it hands the text to /diagnose/
 * through sessionStorage (help.js's handOverToDiagnose: key DIAGNOSE_HANDOVER_KEY, read once and
 * removed by the diagnosis page) and opens /diagnose/ without it: the text is never in a URL, so never
 * in the browser's (or a synced) history. The site search's "Diagnose this error" hands its query
 * over the same way. The form's textarea has no name, so even
 * without this module nothing pasted is sent. Registered by macros/diagnoses.py (widget
 * "diagnose-entry"). */

import * as help from "./help.js";

/** Events that show the reader is about to paste: diagnose-keep.mjs (and the matcher's cap it
 * imports, ~7 KB gzip) loads on the first, not with every page that shows the form. */
const INTENT_EVENTS = ["focusin", "pointerdown", "dragenter"];

help.mount("[data-diagnose-entry]", (form) => {
  const box = form.querySelector("textarea");
  let size = 0; /* the length of a long paste whose ends the box keeps (diagnose-keep.mjs) */
  const note = help.el("p", { class: "diagnose-entry__kept", role: "status", hidden: true });
  box.after(note);
  let keep = null; /* diagnose-keep.mjs once loaded */
  let loading = null;
  const onKept = (pasted) => {
    size = pasted;
    note.textContent = keep.keptNote(pasted, "your {size} paste");
    note.hidden = false;
  };
  const load = () => {
    loading ||= import("./diagnose-keep.mjs").then((module) => {
      keep = module;
      module.keepLongPastes(box, onKept);
      return module;
    });
    return loading;
  };
  for (const type of INTENT_EVENTS) form.addEventListener(type, () => load(), { passive: true });
  /* a paste or a drop before the module is there is held, then inserted as it would have been */
  const hold = (event, data) => {
    const text = keep === null && data ? data.getData("text/plain") : "";
    if (!text) return;
    event.preventDefault();
    load().then(
      (module) => module.insertKept(box, event, text, onKept),
      () => box.setRangeText(text, box.selectionStart, box.selectionEnd, "end"),
    );
  };
  box.addEventListener("paste", (event) => hold(event, event.clipboardData));
  box.addEventListener("drop", (event) => hold(event, event.dataTransfer));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = box.value;
    const target = new URL(form.getAttribute("action"), window.location.href);
    target.hash = "";
    /* without storage the reader lands on the empty box and pastes again: never #text=<the text> */
    if (text.trim()) help.handOverToDiagnose(text, Math.max(size, text.length));
    window.location.assign(target.href);
  });
});

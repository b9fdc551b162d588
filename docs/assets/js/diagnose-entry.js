/* The small "Paste the error message" form (home page, article): it hands the text to /diagnose/
 * through sessionStorage (help.js's handOverToDiagnose: key DIAGNOSE_HANDOVER_KEY, read once and
 * removed by the diagnosis page) and opens /diagnose/ without it: the text is never in a URL, so never
 * in the browser's (or a synced) history. The site search's "Diagnose this error" hands its query
 * over the same way. The form's textarea has no name, so even
 * without this module nothing pasted is sent. Registered by macros/diagnoses.py (widget
 * "diagnose-entry"). */

import { keepLongPastes, keptNote } from "./diagnose-keep.mjs";
import * as help from "./help.js";

help.mount("[data-diagnose-entry]", (form) => {
  const box = form.querySelector("textarea");
  let size = 0; /* the length of a long paste whose ends the box keeps (diagnose-keep.mjs) */
  const note = help.el("p", { class: "diagnose-entry__kept", role: "status", hidden: true });
  box.after(note);
  keepLongPastes(box, (pasted) => {
    size = pasted;
    note.textContent = keptNote(pasted, "your {size} paste");
    note.hidden = false;
  });
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

/* The small "Paste the error message" form (home page, article): it hands the text to /diagnose/
 * through sessionStorage (help.js's handOverToDiagnose: key DIAGNOSE_HANDOVER_KEY, read once and
 * removed by the diagnosis page) and opens /diagnose/ without it: the text is never in a URL, so never
 * in the browser's (or a synced) history. The site search's "Diagnose this error" hands its query
 * over the same way. The form's textarea has no name, so even
 * without this module nothing pasted is sent. Registered by macros/diagnoses.py (widget
 * "diagnose-entry"). */

import * as help from "./help.js";

const FALLBACK_KEY = "help:diagnose";

/** Store `text` for the diagnosis page; false if the browser refuses (storage off or full). */
function handOver(text) {
  if (typeof help.handOverToDiagnose === "function") return help.handOverToDiagnose(text);
  try {
    window.sessionStorage.setItem(
      help.DIAGNOSE_HANDOVER_KEY || FALLBACK_KEY,
      JSON.stringify({ text, at: Date.now() }),
    );
    return true;
  } catch (e) {
    console.warn("diagnose: the text could not be handed to the diagnosis page (sessionStorage)", e);
    return false;
  }
}

help.mount("[data-diagnose-entry]", (form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.querySelector("textarea").value;
    const target = new URL(form.getAttribute("action"), window.location.href);
    target.hash = "";
    /* without storage the reader lands on the empty box and pastes again: never #text=<the text> */
    if (text.trim()) handOver(text);
    window.location.assign(target.href);
  });
});

/* The small "Paste the error message" form (home page, article): it opens /diagnose/#text=<the text>.
 * The fragment never reaches a server, and the form's textarea has no name, so even without this
 * module nothing pasted is sent. Registered by macros/diagnoses.py (widget "diagnose-entry"). */

import { mount } from "./help.js";

mount("[data-diagnose-entry]", (form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.querySelector("textarea").value;
    const target = new URL(form.getAttribute("action"), window.location.href);
    target.hash = text.trim() ? "text=" + encodeURIComponent(text) : "";
    window.location.assign(target.href);
  });
});

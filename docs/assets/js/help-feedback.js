/* "Was this page helpful?" (help.js wires it on every page view and sends a pending rating when the
 * reader leaves). */

import { el } from "./help-dom.js";

/* ---- "Was this page helpful?" -------------------------------------------------------------------
 * Our own analytics provider (no third party). Material renders the widget (extra.analytics.feedback)
 * hidden; this reveals and wires it. Configuration comes from meta tags written by overrides/main.html:
 *   help:feedback-endpoint  where ratings go; empty = no endpoint: "helpful" links to the support
 *                           portal, "not helpful" asks for one line and "Send" opens the portal's form
 *   help:version            the deployed version of the site (mike version or HELP_VERSION)
 *   help:support-portal     the SmartHost support portal
 * With an endpoint, one rating becomes exactly one POST made with navigator.sendBeacon:
 *   {"page": "<path>", "version": "<version>", "rating": <0|1>, "comment": "<text>"}
 * sent as text/plain;charset=UTF-8 (CORS-safelisted: no preflight; the body is JSON), when the reader
 * presses "Send", or when they leave the page first (pagehide / tab hidden / instant navigation) with
 * the comment typed so far. */

let pendingRating = null; /* {endpoint, payload, textarea, done} of the rating not yet sent */

function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.getAttribute("content") || "" : "";
}

function post(endpoint, payload) {
  const body = JSON.stringify(payload);
  let queued = false;
  try {
    queued = navigator.sendBeacon(endpoint, body); /* string body: text/plain;charset=UTF-8 */
  } catch {
    queued = false;
  }
  if (!queued && window.fetch) {
    fetch(endpoint, {
      method: "POST",
      body: body,
      keepalive: true,
      mode: "no-cors",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
    });
  }
}

export function flushRating() {
  if (!pendingRating || pendingRating.done) {
    return;
  }
  pendingRating.done = true;
  pendingRating.payload.comment = pendingRating.textarea ? pendingRating.textarea.value.slice(0, 2000) : "";
  post(pendingRating.endpoint, pendingRating.payload);
}

function commentBox(note) {
  const box = el("div", { class: "help-feedback__comment" });
  const label = el("label", {}, "Anything to add? (optional, no personal data please)");
  const textarea = el("textarea", { name: "comment", rows: "3", maxlength: "2000" });
  label.appendChild(textarea);
  const send = el("button", { type: "button", class: "md-button md-button--primary" }, "Send");
  const thanks = el("p", { hidden: "" }, "Sent. Thank you!");
  send.addEventListener("click", () => {
    flushRating();
    label.hidden = true;
    send.hidden = true;
    thanks.hidden = false;
  });
  box.append(label, send, thanks);
  note.appendChild(box);
  return textarea;
}

/* The portal's form, pre-filled: the parameters are the contract in data/portal-links.yml
 * (feedback_form). A link, not a <form>: the CSP's form-action allows only our own origin. */
function portalUrl(portal, rating, text) {
  const url = new URL(portal, location.href);
  url.searchParams.set("help_page", location.pathname);
  url.searchParams.set("help_version", meta("help:version"));
  url.searchParams.set("help_rating", rating);
  if (text) {
    url.searchParams.set("help_text", text.slice(0, 500));
  }
  return url.toString();
}

function portalLink(note, portal, rating) {
  const p = el("p", { class: "help-feedback__portal" });
  p.appendChild(
    el("a", { href: portalUrl(portal, rating, "") }, "Tell SmartHost support on the support portal"),
  );
  note.appendChild(p);
}

/* "Not helpful", no endpoint: one line of text; "Send" opens the portal's form in a new tab with the
 * page, version and text in its URL. Nothing leaves the page before that click. */
function portalLine(note, portal, rating) {
  const box = el("div", { class: "help-feedback__comment" });
  const label = el("label", {}, "What was missing or wrong? (one line, no personal data please)");
  const input = el("input", { type: "text", name: "help_text", maxlength: "500", autocomplete: "off" });
  label.appendChild(input);
  const send = el("a", { class: "md-button md-button--primary", target: "_blank", rel: "noopener" }, "Send");
  const update = () => send.setAttribute("href", portalUrl(portal, rating, input.value.trim()));
  update();
  input.addEventListener("input", update);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      send.click();
    }
  });
  const hint = el(
    "p",
    { class: "help-feedback__portal" },
    "Send opens the SmartHost support portal with your line filled in.",
  );
  box.append(label, send, hint);
  note.appendChild(box);
}

export function wireFeedback() {
  flushRating(); /* instant navigation away from a rated page: send what we have */
  pendingRating = null;
  const form = document.forms.feedback;
  if (!form || form.hasAttribute("data-help-wired")) {
    return;
  }
  form.setAttribute("data-help-wired", "");
  const endpoint = meta("help:feedback-endpoint");
  const portal = meta("help:support-portal");
  const buttons = form.querySelectorAll("button[type=submit][data-md-value]");
  buttons.forEach((button) => {
    button.addEventListener("click", (ev) => {
      ev.preventDefault();
      const rating = button.getAttribute("data-md-value");
      buttons.forEach((b) => {
        b.disabled = true;
      });
      const note = form.querySelector(`.md-feedback__note [data-md-value="${rating}"]`);
      if (note) {
        note.hidden = false;
      }
      if (endpoint) {
        pendingRating = {
          endpoint: endpoint,
          done: false,
          textarea: null,
          payload: {
            page: location.pathname,
            version: meta("help:version"),
            rating: Number(rating),
            comment: "",
          },
        };
        if (note) {
          pendingRating.textarea = commentBox(note);
        }
      } else if (portal && note) {
        (rating === "0" ? portalLine : portalLink)(note, portal, rating);
      }
    });
  });
  form.hidden = false;
}

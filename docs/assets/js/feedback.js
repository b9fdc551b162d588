/* "Was this page helpful?" — the help centre's own analytics provider (no third party).
 *
 * Material renders the widget (extra.analytics.feedback) hidden; this file reveals and wires it on
 * every page (document$ also fires on instant navigation). Configuration comes from meta tags
 * written by overrides/main.html:
 *   help:feedback-endpoint  where ratings go; empty = no endpoint, link to the support portal
 *   help:version            the deployed version of the site (mike version or HELP_VERSION)
 *   help:support-portal     the SmartHost support portal
 * With an endpoint, one rating becomes exactly one POST made with navigator.sendBeacon:
 *   {"page": "<path>", "version": "<version>", "rating": <0|1>, "comment": "<text>"}
 * sent as Content-Type text/plain;charset=UTF-8 (a CORS-safelisted type, so no preflight; the
 * body is JSON). It is sent when the reader presses "Send", or when they leave the page first
 * (pagehide / tab hidden / instant navigation) with the comment typed so far.
 * No inline code: it runs under the site's strict Content-Security-Policy. */
(function () {
  "use strict";

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") || "" : "";
  }

  var pending = null;   // {payload, done} of the rating not yet sent

  function post(endpoint, payload) {
    var body = JSON.stringify(payload);
    var queued = false;
    try {
      queued = navigator.sendBeacon(endpoint, body);   // string body: text/plain;charset=UTF-8
    } catch (e) {
      queued = false;
    }
    if (!queued && window.fetch) {
      fetch(endpoint, { method: "POST", body: body, keepalive: true, mode: "no-cors",
                        headers: { "Content-Type": "text/plain;charset=UTF-8" } });
    }
  }

  function flush() {
    if (!pending || pending.done) return;
    pending.done = true;
    pending.payload.comment = pending.textarea ? pending.textarea.value.slice(0, 2000) : "";
    post(pending.endpoint, pending.payload);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function commentBox(note) {
    var box = el("div", { "class": "help-feedback__comment" });
    var label = el("label", {}, "Anything to add? (optional, no personal data please)");
    var textarea = el("textarea", { name: "comment", rows: "3", maxlength: "2000" });
    label.appendChild(textarea);
    var send = el("button", { type: "button", "class": "md-button md-button--primary" }, "Send");
    var thanks = el("p", { hidden: "" }, "Sent. Thank you!");
    send.addEventListener("click", function () {
      flush();
      box.querySelector("label").hidden = true;
      send.hidden = true;
      thanks.hidden = false;
    });
    box.appendChild(label);
    box.appendChild(send);
    box.appendChild(thanks);
    note.appendChild(box);
    return textarea;
  }

  function portalLink(note, portal, rating) {
    var url = new URL(portal, location.href);
    url.searchParams.set("help_page", location.pathname);
    url.searchParams.set("help_rating", rating);
    var p = el("p", { "class": "help-feedback__portal" });
    var a = el("a", { href: url.toString() }, "Tell SmartHost support on the support portal");
    p.appendChild(a);
    note.appendChild(p);
  }

  function wire() {
    flush();                      // instant navigation away from a rated page: send what we have
    pending = null;
    var form = document.forms.feedback;
    if (!form || form.getAttribute("data-help-wired")) return;
    form.setAttribute("data-help-wired", "1");
    var endpoint = meta("help:feedback-endpoint");
    var portal = meta("help:support-portal");
    var buttons = form.querySelectorAll("button[type=submit][data-md-value]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function (ev) {
        ev.preventDefault();
        var rating = button.getAttribute("data-md-value");
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
        var note = form.querySelector('.md-feedback__note [data-md-value="' + rating + '"]');
        if (note) note.hidden = false;
        if (endpoint) {
          pending = {
            endpoint: endpoint, done: false, textarea: null,
            payload: { page: location.pathname, version: meta("help:version"),
                       rating: Number(rating), comment: "" }
          };
          if (note) pending.textarea = commentBox(note);
        } else if (portal && note) {
          portalLink(note, portal, rating);
        }
      });
    });
    form.hidden = false;
  }

  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.helpOnPage(wire);
})();

/* SMTP dialogue stepper (ES module of the "stepper" widget, macros/dialogue.py): turns the static
 * transcripts rendered by the smtp_dialogue macro into a step-by-step player with toggles between
 * pre-rendered variants (the alternatives wait in a <template>). No Pyodide, no network. Mounted by
 * help.js's mount() on every page view. */
import { mount, reveal } from "./help.js";

const PLAY_DELAY_MS = 900;

/** Every variant: the one in the page, then the alternatives kept inert in the widget's
 * <template data-smtp-variants> (dialogue.html.j2) until one is picked. */
function variantsOf(root) {
  let shown = Array.prototype.slice.call(root.querySelectorAll("[data-smtp-variant]"));
  let store = root.querySelector("template[data-smtp-variants]");
  let stored = store ? Array.prototype.slice.call(store.content.querySelectorAll("[data-smtp-variant]")) : [];
  return shown.concat(stored);
}

function stepsOf(variant) {
  return Array.prototype.slice.call(variant.querySelectorAll("[data-smtp-step]"));
}

function toggleState(root) {
  let state = {};
  let auth = root.querySelector("[data-smtp-toggle='auth']");
  if (auth) { state.auth = auth.checked ? "on" : "off"; }
  ["port", "software"].forEach(function (name) {
    let checked = root.querySelector("[data-smtp-toggle='" + name + "']:checked");
    if (checked) { state[name] = checked.value; }
  });
  return state;
}

function matches(variant, state) {
  return Object.keys(state).every(function (key) {
    return variant.getAttribute("data-" + key) === state[key];
  });
}

function Stepper(root) {
  this.root = root;
  this.variants = variantsOf(root);
  this.variant = this.variants.filter(function (v) { return !v.hidden; })[0] || this.variants[0];
  this.index = 0;
  this.timer = null;
  this.status = root.querySelector("[data-smtp-status]");
  this.buttons = {};
  let self = this;
  Array.prototype.forEach.call(root.querySelectorAll("[data-smtp-action]"), function (button) {
    self.buttons[button.getAttribute("data-smtp-action")] = button;
    button.addEventListener("click", function () { self.action(button.getAttribute("data-smtp-action")); });
  });
  Array.prototype.forEach.call(root.querySelectorAll("[data-smtp-toggle]"), function (input) {
    input.addEventListener("change", function () { self.switchVariant(); });
  });
  root.addEventListener("keydown", function (event) { self.onKey(event); });
  reveal(root);
  root.classList.add("smtp-dialogue--live");
  this.render();
}

Stepper.prototype.onKey = function (event) {
  let tag = event.target && event.target.tagName;
  if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  if (event.key === "ArrowRight" || event.key === "ArrowDown") {
    this.action("next");
  } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
    this.action("prev");
  } else if (event.key === "Home") {
    this.action("restart");
  } else if (event.key === "End") {
    this.stop(); this.index = stepsOf(this.variant).length - 1; this.render();
  } else {
    return;
  }
  event.preventDefault();
};

Stepper.prototype.action = function (name) {
  let last = stepsOf(this.variant).length - 1;
  if (name === "play") {
    if (this.timer) { this.stop(); } else { this.play(); }
    return;
  }
  this.stop();
  if (name === "next") { this.index = Math.min(this.index + 1, last); }
  if (name === "prev") { this.index = Math.max(this.index - 1, 0); }
  if (name === "restart") { this.index = 0; }
  this.render(true);
};

Stepper.prototype.play = function () {
  let self = this;
  let last = stepsOf(this.variant).length - 1;
  if (this.index >= last) { this.index = 0; }
  this.setPlaying(true);
  this.render();
  this.timer = window.setInterval(function () {
    if (!self.root.isConnected || self.index >= stepsOf(self.variant).length - 1) {
      self.stop();
      return;
    }
    self.index += 1;
    self.render(true);
    if (self.index >= stepsOf(self.variant).length - 1) { self.stop(); }
  }, PLAY_DELAY_MS);
};

Stepper.prototype.stop = function () {
  if (this.timer) { window.clearInterval(this.timer); this.timer = null; }
  this.setPlaying(false);
};

Stepper.prototype.setPlaying = function (playing) {
  let button = this.buttons.play;
  if (!button) { return; }
  button.setAttribute("aria-pressed", playing ? "true" : "false");
  button.classList.toggle("is-playing", playing);
};

Stepper.prototype.switchVariant = function () {
  let state = toggleState(this.root);
  let next = this.variants.filter(function (v) { return matches(v, state); })[0];
  if (!next || next === this.variant) { return; }
  let wasAtEnd = this.index >= stepsOf(this.variant).length - 1;
  if (!next.isConnected) { this.variant.after(next); }  /* out of the template, into the page */
  this.variant.hidden = true;
  next.hidden = false;
  this.variant = next;
  let last = stepsOf(next).length - 1;
  this.index = wasAtEnd ? last : Math.min(this.index, last);
  this.render();
};

Stepper.prototype.render = function (reveal) {
  let steps = stepsOf(this.variant);
  let index = this.index;
  steps.forEach(function (step, i) {
    step.hidden = i > index;
    step.classList.toggle("is-current", i === index);
    if (i === index) { step.setAttribute("aria-current", "step"); } else { step.removeAttribute("aria-current"); }
  });
  if (reveal && steps[index] && typeof steps[index].scrollIntoView === "function") {
    steps[index].scrollIntoView({ block: "nearest" });
  }
  let last = steps.length - 1;
  let outcome = this.variant.querySelector("[data-smtp-outcome]");
  if (outcome) { outcome.hidden = index < last; }
  if (this.buttons.prev) { this.buttons.prev.disabled = index <= 0; }
  if (this.buttons.next) { this.buttons.next.disabled = index >= last; }
  if (this.status) {
    this.status.textContent = "Step " + (index + 1) + " of " + steps.length;
  }
};

mount("[data-help-widget=stepper]", function (root) { root.smtpStepper = new Stepper(root); });

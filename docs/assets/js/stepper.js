/* SMTP dialogue stepper (ES module of the "stepper" widget, macros/dialogue.py): turns the static
 * transcripts rendered by the smtp_dialogue macro into a step-by-step player with toggles between
 * pre-rendered variants (the alternatives wait in a <template>). No Pyodide, no network. Mounted by
 * help.js's mount() on every page view. */
import { mount, reveal } from "./help.js";

const PLAY_DELAY_MS = 900;

/** Every variant: the one in the page, then the alternatives kept inert in the widget's
 * <template data-smtp-variants> (dialogue.html.j2) until one is picked. */
function variantsOf(root) {
  const shown = [...root.querySelectorAll("[data-smtp-variant]")];
  const store = root.querySelector("template[data-smtp-variants]");
  return store ? [...shown, ...store.content.querySelectorAll("[data-smtp-variant]")] : shown;
}

const stepsOf = (variant) => [...variant.querySelectorAll("[data-smtp-step]")];

function toggleState(root) {
  const state = {};
  const auth = root.querySelector("[data-smtp-toggle='auth']");
  if (auth) {
    state.auth = auth.checked ? "on" : "off";
  }
  for (const name of ["port", "software"]) {
    const checked = root.querySelector(`[data-smtp-toggle='${name}']:checked`);
    if (checked) {
      state[name] = checked.value;
    }
  }
  return state;
}

const matches = (variant, state) =>
  Object.keys(state).every((key) => variant.getAttribute(`data-${key}`) === state[key]);

class Stepper {
  constructor(root) {
    this.root = root;
    this.variants = variantsOf(root);
    this.variant = this.variants.find((v) => !v.hidden) || this.variants[0];
    this.index = 0;
    this.timer = null;
    this.status = root.querySelector("[data-smtp-status]");
    this.buttons = {};
    for (const button of root.querySelectorAll("[data-smtp-action]")) {
      const name = button.getAttribute("data-smtp-action");
      this.buttons[name] = button;
      button.addEventListener("click", () => this.action(name));
    }
    for (const input of root.querySelectorAll("[data-smtp-toggle]")) {
      input.addEventListener("change", () => this.switchVariant());
    }
    root.addEventListener("keydown", (event) => this.onKey(event));
    reveal(root);
    root.classList.add("smtp-dialogue--live");
    this.render();
  }

  get last() {
    return stepsOf(this.variant).length - 1;
  }

  onKey(event) {
    const tag = event.target?.tagName;
    if (
      tag === "INPUT" ||
      tag === "SELECT" ||
      tag === "TEXTAREA" ||
      event.altKey ||
      event.ctrlKey ||
      event.metaKey
    ) {
      return;
    }
    if (event.key === "ArrowRight" || event.key === "ArrowDown") {
      this.action("next");
    } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      this.action("prev");
    } else if (event.key === "Home") {
      this.action("restart");
    } else if (event.key === "End") {
      this.stop();
      this.index = this.last;
      this.render();
    } else {
      return;
    }
    event.preventDefault();
  }

  action(name) {
    if (name === "play") {
      if (this.timer) {
        this.stop();
      } else {
        this.play();
      }
      return;
    }
    this.stop();
    if (name === "next") {
      this.index = Math.min(this.index + 1, this.last);
    }
    if (name === "prev") {
      this.index = Math.max(this.index - 1, 0);
    }
    if (name === "restart") {
      this.index = 0;
    }
    this.render(true);
  }

  play() {
    if (this.index >= this.last) {
      this.index = 0;
    }
    this.setPlaying(true);
    this.render();
    this.timer = window.setInterval(() => {
      if (!this.root.isConnected || this.index >= this.last) {
        this.stop();
        return;
      }
      this.index += 1;
      this.render(true);
      if (this.index >= this.last) {
        this.stop();
      }
    }, PLAY_DELAY_MS);
  }

  stop() {
    if (this.timer) {
      window.clearInterval(this.timer);
      this.timer = null;
    }
    this.setPlaying(false);
  }

  /** The Play button says what it does next: "Pause" while playing (its text is its accessible name). */
  setPlaying(playing) {
    const button = this.buttons.play;
    if (button) {
      button.textContent = playing ? "Pause" : "Play";
      button.classList.toggle("is-playing", playing);
    }
  }

  switchVariant() {
    const state = toggleState(this.root);
    const next = this.variants.find((v) => matches(v, state));
    if (!next || next === this.variant) {
      return;
    }
    const wasAtEnd = this.index >= this.last;
    if (!next.isConnected) {
      this.variant.after(next); /* out of the template, into the page */
    }
    this.variant.hidden = true;
    next.hidden = false;
    this.variant = next;
    this.index = wasAtEnd ? this.last : Math.min(this.index, this.last);
    this.render();
  }

  render(scroll) {
    const steps = stepsOf(this.variant);
    const index = this.index;
    steps.forEach((step, i) => {
      step.hidden = i > index;
      step.classList.toggle("is-current", i === index);
      if (i === index) {
        step.setAttribute("aria-current", "step");
      } else {
        step.removeAttribute("aria-current");
      }
    });
    if (scroll && typeof steps[index]?.scrollIntoView === "function") {
      steps[index].scrollIntoView({ block: "nearest" });
    }
    const last = steps.length - 1;
    const outcome = this.variant.querySelector("[data-smtp-outcome]");
    if (outcome) {
      outcome.hidden = index < last;
    }
    const focused = this.root.contains(document.activeElement) ? document.activeElement : null;
    if (this.buttons.prev) {
      this.buttons.prev.disabled = index <= 0;
    }
    if (this.buttons.next) {
      this.buttons.next.disabled = index >= last;
    }
    if (focused?.disabled) {
      /* the focused button just became disabled (Next at the last step, Previous at the first): keep
         the keyboard in the stepper instead of letting focus fall to <body> */
      const { restart, prev, next, play } = this.buttons;
      [restart, prev, next, play].find((b) => b && !b.disabled)?.focus();
    }
    if (this.status) {
      this.status.textContent = `Step ${index + 1} of ${steps.length}`;
    }
  }
}

mount("[data-help-widget=stepper]", (root) => {
  root.smtpStepper = new Stepper(root);
});

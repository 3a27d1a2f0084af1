// Facilitator-typed texts (theme, guiding questions, join question, voting statements)
// in the participant's language, with German as the fallback and a one-tap way back to
// the German original. The language comes from the server-rendered page
// (<body data-content-lang>); the translations come with the plan: `theme_i18n` beside
// `theme`, and for lists one map per item (`questions_i18n[i]`).

const RTL = new Set(["ar", "fa"]);

export const contentLang = document.body.dataset.contentLang || "de";
let shown = contentLang; // "de" while the German original is shown
const listeners = [];

// The language texts are shown in now.
export function shownLang() { return shown; }

// (text, language of that text) for one field: the translation, or German.
export function pickText(german, translations, lang = shown) {
  const text = lang !== "de" && translations ? translations[lang] : null;
  return text ? [text, lang] : [german, "de"];
}

// Sets a node's text and marks its language and direction (screen readers, fonts, RTL).
// The plain field is German by definition, but what was typed there is not checked:
// its direction is the text's own (dir="auto").
export function setText(node, german, translations) {
  const [text, lang] = pickText(german, translations);
  node.textContent = text;
  node.lang = lang === "de-simple" ? "de" : lang;
  node.dir = lang === "de" ? "auto" : RTL.has(lang) ? "rtl" : "ltr";
  return text;
}

// True when any of these translation maps has the participant's language.
export function hasTranslation(...maps) {
  return contentLang !== "de" && maps.flat().some((m) => m && m[contentLang]);
}

// Calls fn(lang) whenever the participant switches between translation and original.
export function onShownLangChange(fn) { listeners.push(fn); }

// Wires the "Show German original" button: shown while any part of the page (`source`:
// the plan, a vote…) has a translation in the participant's language.
const available = new Map();
export function wireOriginalToggle(button, labels, has, source = "plan") {
  if (!button) return;
  available.set(source, has);
  button.classList.toggle("hidden", ![...available.values()].some(Boolean));
  if (button.dataset.wired) return;
  button.dataset.wired = "1";
  button.addEventListener("click", () => {
    shown = shown === "de" ? contentLang : "de";
    button.textContent = shown === "de" ? labels.back : labels.original;
    button.setAttribute("aria-pressed", String(shown === "de"));
    for (const fn of listeners) fn(shown);
  });
}

// Read aloud: the table's field of action and guiding questions, spoken by the phone's
// own speech synthesis in the language they are shown in (no network, no server audio).
// The button appears only where the phone has a voice for that language.
import { t } from "./common.js";

const button = document.getElementById("read-aloud");
const synth = window.speechSynthesis;

// The shown texts with their language, read from the page as content-lang.js marked them.
function parts() {
  const theme = document.getElementById("theme");
  return [theme, ...document.querySelectorAll("#questions li > bdi")]
    .map((node, i) => ({ text: i === 0 ? node.textContent : `${i}. ${node.textContent}`, lang: node.lang || document.documentElement.lang }));
}

function voiceFor(lang) {
  if (!synth) return null;
  const want = lang.toLowerCase();
  return synth.getVoices().find((v) => v.lang && (v.lang.toLowerCase() === want || v.lang.toLowerCase().startsWith(`${want}-`))) || null;
}

function update() {
  if (!button) return;
  const lang = document.getElementById("theme").lang || document.documentElement.lang;
  const available = !!voiceFor(lang);
  button.classList.toggle("hidden", !available);
  if (!available && synth) synth.cancel();
}

function speak() {
  if (synth.speaking) { synth.cancel(); button.textContent = t("read_aloud"); return; }
  const items = parts();
  items.forEach((part, i) => {
    const utterance = new SpeechSynthesisUtterance(part.text);
    utterance.lang = part.lang; // the phone picks its voice for that language
    if (i === items.length - 1) utterance.onend = () => { button.textContent = t("read_aloud"); };
    synth.speak(utterance);
  });
  button.textContent = t("stop_reading");
}

if (button && synth) {
  button.addEventListener("click", speak);
  synth.addEventListener("voiceschanged", update);
  document.addEventListener("content-shown", update);
  update();
}

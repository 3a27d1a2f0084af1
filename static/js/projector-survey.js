// The projector's survey results: bars per answer, the scale's distribution and mean, the
// wall of written answers and the breakdown by target group (small groups not shown).
// Labels come from the page (its language); counts and texts from `survey_results`.
import { connectLive, el } from "./common.js";

const body = document.body;
const surveyId = Number(body.dataset.survey);
const initial = JSON.parse(document.getElementById("sr-data").textContent);
const strings = JSON.parse(document.getElementById("sr-strings").textContent);
const root = document.getElementById("sr-questions");
const responses = document.getElementById("sr-responses");
const fmt = (s, params) => Object.entries(params).reduce((acc, [k, v]) => acc.replace(`%(${k})s`, v), s);
const number = new Intl.NumberFormat(document.documentElement.lang || "de");

function bars(q, labels) {
  const max = Math.max(1, ...q.counts);
  return el("ol", { class: "sr-bars" }, q.counts.map((c, i) =>
    el("li", {},
      el("span", { class: "sr-label", dir: "auto", text: labels[i] }),
      el("span", { class: "sr-bar", style: null, dataset: { share: String(c / max) } }),
      el("span", { class: "sr-count", text: number.format(c) }))));
}

function groups(q, labels, minCell) {
  const names = Object.keys(q.by_group || {});
  if (!names.length) return null;
  const table = el("table", { class: "figures sr-groups" },
    el("caption", { text: strings.by_group }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: strings.group }),
      labels.map((l) => el("th", { scope: "col", dir: "auto", text: l })))),
    el("tbody", {}, names.map((g) => {
      const cells = q.by_group[g];
      return el("tr", {}, el("th", { scope: "row", dir: "auto", text: g }),
        cells === null
          ? el("td", { colspan: String(labels.length), class: "muted", text: fmt(strings.small, { n: minCell }) })
          : cells.map((c) => el("td", { text: typeof c === "number" ? number.format(c) : c })));
    })));
  return table;
}

function render(data) {
  responses.textContent = number.format(data.responses);
  root.replaceChildren(...data.questions.map((q, i) => {
    const labelQ = initial.questions[i];
    const card = el("section", { class: "tcard sr-card" },
      el("h2", { dir: "auto", text: labelQ.text }),
      el("p", { class: "muted", text: fmt(strings.answered, { n: number.format(q.answered) }) }));
    if (q.kind === "text") {
      const texts = q.texts.slice(-12).reverse();
      card.append(texts.length
        ? el("ul", { class: "sr-texts" }, texts.map((t) => el("li", { dir: "auto", text: t })))
        : el("p", { class: "muted", text: strings.no_texts }));
    } else {
      card.append(bars(q, labelQ.options));
      if (q.mean !== undefined) card.append(el("p", { class: "strong", text: fmt(strings.mean, { mean: number.format(q.mean) }) }));
      const table = groups(q, labelQ.options, data.min_cell);
      if (table) card.append(table);
    }
    return card;
  }));
  // Widths through the CSSOM: the Content-Security-Policy forbids inline style attributes.
  root.querySelectorAll(".sr-bar").forEach((bar) => { bar.style.inlineSize = `${Number(bar.dataset.share) * 100}%`; });
}

render(initial);
const socket = connectLive({ event: body.dataset.event, role: "projector" }, () => {});
socket.on("survey_results", (data) => { if (data.survey_id === surveyId) render(data); });

"use strict";
// The speaker view: search a speaker, then read their stance history: the summary per topic,
// the shifts of position, and one timeline chart per topic whose marks link to the quotes.

const HISTORY_PAGE_SIZE = 100; // the API's largest page: fewer round trips for long histories
const speakerState = { listed: false, speakerId: null };

function initSpeakerView() {
  document.getElementById("speaker-form").addEventListener("submit", (event) => {
    event.preventDefault();
    searchSpeakers(document.getElementById("speaker-query").value.trim());
  });
}

/** The first time the view opens, list every speaker so there is something to pick. */
function ensureSpeakerList() {
  if (!speakerState.listed) searchSpeakers("");
}

async function searchSpeakers(query) {
  const errorBox = document.getElementById("speaker-error");
  showError(errorBox, null);
  speakerState.listed = true;
  try {
    const page = await api("GET", withQuery("/v1/speakers", { q: query, limit: 50 }));
    fill(document.getElementById("speaker-list"), page.items.map(speakerResult));
    if (!page.items.length) {
      document.getElementById("speaker-list").append(h("li", { class: "meta" }, "No speaker found."));
    }
    markCurrentSpeaker();
    const more = page.next_cursor ? " (more: refine the search)" : "";
    announce(query
      ? `${page.items.length} speaker${page.items.length === 1 ? "" : "s"} found for “${query}”${more}.`
      : `${page.items.length} speaker${page.items.length === 1 ? "" : "s"} listed${more}.`);
  } catch (error) {
    showError(errorBox, error);
    announce("The search failed.");
  }
}

function speakerResult(speaker) {
  const aliases = speaker.aliases.length ? `also ${speaker.aliases.join(", ")}` : null;
  return h("li", {},
    h("a", { href: routes.speaker(speaker.id), "data-speaker-id": speaker.id }, speaker.name),
    h("span", { class: "meta" }, [
      `${speaker.quote_count} quote${speaker.quote_count === 1 ? "" : "s"}`, aliases,
    ].filter(Boolean).join(" · ")));
}

function markCurrentSpeaker() {
  for (const link of document.querySelectorAll("#speaker-list a")) {
    if (link.dataset.speakerId === speakerState.speakerId) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
}

/** Router entry: load and show the whole stance history of speaker `id`. */
async function openSpeaker(id) {
  const errorBox = document.getElementById("speaker-error");
  showError(errorBox, null);
  speakerState.speakerId = id;
  markCurrentSpeaker();
  announce("Loading the stance history…");
  const section = document.getElementById("speaker-history");
  section.setAttribute("aria-busy", "true");
  try {
    const history = await loadHistory(id);
    renderHistory(history);
    section.hidden = false;
    document.getElementById("speaker-empty").hidden = true;
    const heading = document.getElementById("speaker-name");
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
    announce(`${history.speaker.name}: ${history.items.length} quote${history.items.length === 1 ? "" : "s"}`
      + ` with a stance on ${history.summary.length} topic${history.summary.length === 1 ? "" : "s"}.`);
  } catch (error) {
    showError(errorBox, error);
    announce("The stance history could not be loaded.");
  } finally {
    section.removeAttribute("aria-busy");
  }
}

/** Every page of the history: summary and shifts come with each page, items are split. */
async function loadHistory(id) {
  const path = withQuery(`/v1/speakers/${encodeURIComponent(id)}/stances`, { limit: HISTORY_PAGE_SIZE });
  const pages = await fetchAllPages(path);
  return { ...pages[0], items: pages.flatMap((page) => page.items), next_cursor: null };
}

function renderHistory(history) {
  fill(document.getElementById("speaker-name"), history.speaker.name);
  fill(document.getElementById("speaker-meta"), historyMeta(history));
  const topics = topicsByWeight(history.summary);
  fill(document.getElementById("summary-table"), summaryTable(topics));
  renderShifts(document.getElementById("shift-list"), history);
  fill(document.getElementById("timelines"), topics.map((entry, i) => topicTimeline(entry, i, history)));
}

function historyMeta(history) {
  if (!history.items.length) return "No quote of this speaker has a topic and a stance yet.";
  const dates = history.items.map(pointDate).filter(Boolean).sort();
  const count = history.items.length;
  return `${count} quote${count === 1 ? "" : "s"} from ${formatDate(dates[0])} to ${formatDate(dates[dates.length - 1])}`;
}

/** Topics with the most quotes first: the ones an editor is most likely to look for. */
function topicsByWeight(summary) {
  const total = (entry) => entry.counts.favor + entry.counts.against + entry.counts.neutral;
  return [...summary].sort((a, b) => total(b) - total(a) || a.topic.label.localeCompare(b.topic.label));
}

function summaryTable(topics) {
  const headers = ["Topic", "Favor", "Against", "Neutral", "Majority", "Latest", "First seen", "Last seen"];
  return [
    h("caption", { class: "visually-hidden" }, "Quotes per stance and topic"),
    h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, topics.map((entry, i) => h("tr", {},
      h("th", { scope: "row" }, h("button", {
        type: "button", class: "link-button", onclick: () => focusTimeline(i),
      }, entry.topic.label)),
      h("td", { class: "number" }, entry.counts.favor),
      h("td", { class: "number" }, entry.counts.against),
      h("td", { class: "number" }, entry.counts.neutral),
      h("td", {}, entry.majority ? stanceBadge(entry.majority) : "tie"),
      h("td", {}, stanceBadge(entry.latest)),
      h("td", {}, formatDate(entry.first_seen)),
      h("td", {}, formatDate(entry.last_seen))))),
  ];
}

function focusTimeline(index) {
  const heading = document.getElementById(`timeline-heading-${index}`);
  heading.scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
}

function renderShifts(list, history) {
  const byQuote = new Map(history.items.map((item) => [item.quote.id, item]));
  const shifts = history.shifts || [];
  fill(list, shifts.length
    ? shifts.map((shift) => h("li", {},
      h("p", {}, h("strong", {}, `${formatDate(shift.date)} · ${shift.topic.label}: `),
        stanceBadge(shift.before.majority), h("span", { "aria-label": "then" }, " → "),
        stanceBadge(shift.after.majority)),
      shift.explanation ? h("p", { class: "explanation" }, shift.explanation) : null,
      shiftQuotes(shift, byQuote)))
    : h("li", { class: "meta" }, "No shift of majority position in this history."));
}

function shiftQuotes(shift, byQuote) {
  const items = (shift.quote_ids || []).map((id) => byQuote.get(id)).filter(Boolean);
  if (!items.length) return null;
  return h("ul", { class: "shift-quotes" }, items.map((item) => h("li", {},
    h("a", { href: routes.article(item.article.id, item.quote.id) }, `“${excerpt(item.quote.content.text, 140)}”`),
    h("span", { class: "meta" }, ` ${formatDate(item.date)}`))));
}

function topicTimeline(entry, index, history) {
  const items = history.items.filter((item) => item.topic.id === entry.topic.id);
  const shifts = (history.shifts || []).filter((shift) => shift.topic.id === entry.topic.id);
  const captionId = `timeline-caption-${index}`;
  return h("section", { class: "timeline", "aria-labelledby": `timeline-heading-${index}`, "data-topic-id": entry.topic.id },
    h("h4", { id: `timeline-heading-${index}`, tabindex: -1 }, entry.topic.label),
    h("figure", {},
      timelineChart(items, { captionId, shifts }),
      h("figcaption", { id: captionId }, timelineCaption(history.speaker.name, entry, items))),
    quoteTable(items));
}

function timelineCaption(name, entry, items) {
  const { favor, against, neutral } = entry.counts;
  return `${name} on ${entry.topic.label}: ${items.length} quote${items.length === 1 ? "" : "s"} `
    + `(${favor} favor, ${against} against, ${neutral} neutral), `
    + `${formatDate(entry.first_seen)} to ${formatDate(entry.last_seen)}.`;
}

/** The chart's quotes as a table: readable without the chart, and by screen readers. */
function quoteTable(items) {
  return h("details", { class: "quote-table" },
    h("summary", {}, `The ${items.length} quote${items.length === 1 ? "" : "s"} as a table`),
    h("div", { class: "table-scroll" }, h("table", { class: "data-table" },
      h("thead", {}, h("tr", {}, ["Date", "Stance", "Quote", "Article"].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, items.map((item) => h("tr", {},
        h("td", {}, h("span", { class: "nowrap" }, formatDate(item.date)),
          reportedEarlierNote(item.quote) ? h("span", { class: "earlier" }, reportedEarlierNote(item.quote)) : null),
        h("td", {}, stanceBadge(item.stance, item.confidence)),
        h("td", {}, h("a", { href: routes.article(item.article.id, item.quote.id) }, `“${excerpt(item.quote.content.text, 160)}”`)),
        h("td", {}, item.article.title || "Untitled article")))))));
}

"use strict";
// The article view: analyse a pasted text or open a stored one, then show its text with every
// quote highlighted in its speaker's colour, the speakers, and the quotes with their details.

const SPEAKER_COLOURS = 8; // .spk-0 … .spk-7 in editor.css; beyond that, colours repeat dashed
const articleState = { article: null, storedCursor: null, hideTipTimer: null, tipMark: null };

function initArticleView() {
  document.getElementById("article-form").addEventListener("submit", submitArticle);
  document.getElementById("stored-more").addEventListener("click", () => loadStoredArticles(true));
  initQuoteTips(document.getElementById("article-text-view"));
}

// --- analysing and opening -------------------------------------------------------------------

async function submitArticle(event) {
  event.preventDefault();
  const button = document.getElementById("article-submit");
  const errorBox = document.getElementById("article-error");
  showError(errorBox, null);
  button.disabled = true;
  announce("Analysing the article…");
  try {
    const article = await api("POST", "/v1/articles", articleFormBody());
    articleState.article = article;
    loadStoredArticles(false); // the new article joins the list; no need to wait for it
    if (location.hash === routes.article(article.id)) showArticle(article);
    else location.hash = routes.article(article.id); // the router then shows it
  } catch (error) {
    showError(errorBox, error);
    announce("The article could not be analysed.");
  } finally {
    button.disabled = false;
  }
}

/** The POST body: the text as pasted (offsets refer to it), optional fields only when set. */
function articleFormBody() {
  const body = { text: document.getElementById("article-text").value };
  const optional = { title: "article-title", published_at: "article-date", source: "article-source" };
  for (const [field, id] of Object.entries(optional)) {
    const value = document.getElementById(id).value.trim();
    if (value) body[field] = value;
  }
  return body;
}

/** Router entry: show article `id`, fetching it unless it is the one on screen. */
async function openArticle(id, quoteId) {
  const errorBox = document.getElementById("article-error");
  showError(errorBox, null);
  if (!articleState.article || articleState.article.id !== id) {
    announce("Opening the article…");
    try {
      articleState.article = await api("GET", `/v1/articles/${encodeURIComponent(id)}`);
    } catch (error) {
      showError(errorBox, error);
      announce("The article could not be opened.");
      return;
    }
  }
  showArticle(articleState.article, quoteId);
}

async function loadStoredArticles(append) {
  const list = document.getElementById("stored-list");
  const more = document.getElementById("stored-more");
  try {
    const page = await api("GET", withQuery("/v1/articles", {
      limit: 20, cursor: append ? articleState.storedCursor : null,
    }));
    if (!append) list.replaceChildren();
    list.append(...page.items.map(storedArticleItem));
    if (!list.children.length) list.append(h("li", { class: "meta" }, "No article yet: analyse one."));
    articleState.storedCursor = page.next_cursor;
    more.hidden = !page.next_cursor;
  } catch (error) {
    showError(document.getElementById("article-error"), error);
  }
}

function storedArticleItem(article) {
  const details = [article.published_at ? formatDate(article.published_at) : null,
    article.source, `${article.quote_count} quote${article.quote_count === 1 ? "" : "s"}`];
  return h("li", {},
    h("a", { href: routes.article(article.id) }, article.title || `Untitled article ${article.id}`),
    h("span", { class: "meta" }, details.filter(Boolean).join(" · ")));
}

// --- showing an article ----------------------------------------------------------------------

function showArticle(article, quoteId) {
  const colours = speakerColours(article.quotes);
  document.getElementById("article-result").hidden = false;
  fill(document.getElementById("article-title-heading"), article.title || "Untitled article");
  fill(document.getElementById("article-meta"), articleMeta(article));
  renderText(document.getElementById("article-text-view"), article, colours);
  renderSpeakers(document.getElementById("article-speakers"), article, colours);
  renderQuoteList(document.getElementById("article-quotes"), article, colours);
  const speakers = new Set(article.quotes.map((q) => q.speaker && q.speaker.id).filter(Boolean));
  announce(`${article.title || "Article"}: ${article.quotes.length} quote${article.quotes.length === 1 ? "" : "s"}`
    + ` from ${speakers.size} speaker${speakers.size === 1 ? "" : "s"}.`);
  if (quoteId) focusQuote(quoteId);
  else {
    const heading = document.getElementById("article-title-heading");
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }
}

function articleMeta(article) {
  return [
    article.published_at ? `Published ${formatDate(article.published_at)}` : "No publication date",
    article.source,
    article.converted_from_html ? "converted from HTML" : null,
    `model ${article.model_version}`,
  ].filter(Boolean).join(" · ");
}

/** A colour class per speaker, in order of first appearance; unattributed quotes are grey. */
function speakerColours(quotes) {
  const classes = new Map();
  for (const quote of quotes) {
    const id = quote.speaker && quote.speaker.id;
    if (id && !classes.has(id)) {
      const n = classes.size;
      classes.set(id, `spk-${n % SPEAKER_COLOURS}${n >= SPEAKER_COLOURS ? " spk-repeat" : ""}`);
    }
  }
  return (quote) => (quote.speaker ? classes.get(quote.speaker.id) : "spk-unknown");
}

/** The article text with quote contents as focusable <mark>s and source mentions underlined. */
function renderText(container, article, colourOf) {
  const codePoints = Array.from(article.text);
  const ranges = [];
  article.quotes.forEach((quote) => {
    for (const span of contentRanges(quote, codePoints.length)) {
      ranges.push({ start: span.start, end: span.end, priority: 2, kind: "content", quote });
    }
    if (isValidSpan(quote.source, codePoints.length)) {
      ranges.push({ start: quote.source.start, end: quote.source.end, priority: 1, kind: "source", quote });
    }
  });
  fill(container, segment(codePoints.length, ranges).map(({ start, end, range }) => {
    const text = sliceCodePoints(codePoints, start, end);
    if (!range) return text;
    if (range.kind === "source") return h("span", { class: `source ${colourOf(range.quote)}` }, text);
    return h("mark", {
      class: `quote ${colourOf(range.quote)}`,
      tabindex: 0,
      "data-quote-id": range.quote.id,
      "aria-describedby": "quote-tip",
    }, text);
  }));
}

function renderSpeakers(list, article, colourOf) {
  const bySpeaker = new Map();
  for (const quote of article.quotes) {
    const key = quote.speaker ? quote.speaker.id : "";
    if (!bySpeaker.has(key)) bySpeaker.set(key, { quote, count: 0 });
    bySpeaker.get(key).count += 1;
  }
  const items = [...bySpeaker.values()].map(({ quote, count }) => h("li", {},
    h("span", { class: `swatch ${colourOf(quote)}`, "aria-hidden": "true" }),
    quote.speaker
      ? h("a", { href: routes.speaker(quote.speaker.id), title: "Stance history" }, quote.speaker.name)
      : h("span", {}, "Unattributed"),
    h("span", { class: "meta" }, ` ${count} quote${count === 1 ? "" : "s"}`)));
  fill(list, items.length ? items : h("li", { class: "meta" }, "No quote found in this article."));
}

function renderQuoteList(list, article, colourOf) {
  fill(list, article.quotes.map((quote) => h("li", {},
    h("button", {
      type: "button", class: `quote-item ${colourOf(quote)}`, "data-quote-id": quote.id,
      onclick: () => focusQuote(quote.id),
    },
    h("span", { class: "quote-item-head" },
      h("span", { class: `swatch ${colourOf(quote)}`, "aria-hidden": "true" }),
      h("span", { class: "speaker-name" }, quote.speaker ? quote.speaker.name : "Unattributed"),
      stanceBadge(quote.stance && quote.stance.label)),
    h("span", { class: "quote-item-topic" }, quote.topic ? quote.topic.label : "No topic"),
    reportedEarlierNote(quote) ? h("span", { class: "earlier" }, reportedEarlierNote(quote)) : null,
    h("span", { class: "quote-item-text" }, `“${excerpt(quoteWords(quote))}”`)))));
}

/** The words attributed: the fragments of a split quote joined by an ellipsis, without the
 *  "he said" between them. */
function quoteWords(quote) {
  const fragments = quote.content_fragments && quote.content_fragments.length
    ? quote.content_fragments : [quote.content];
  return fragments.map((fragment) => fragment.text).join(" … ");
}

/** What a reader needs to know about one quote: who, what about, which way. */
function quoteDetails(quote) {
  const type = `${quote.type} quote`;
  const cue = quote.cue ? ` · cue “${quote.cue.text}”` : "";
  const source = quote.source ? ` · source “${quote.source.text}”` : "";
  return [
    h("p", { class: "tip-speaker" }, quote.speaker ? quote.speaker.name : "Unattributed"),
    h("p", {}, h("span", { class: "tip-label" }, "Topic: "), quote.topic ? quote.topic.label : "none"),
    h("p", {}, h("span", { class: "tip-label" }, "Stance: "),
      stanceBadge(quote.stance && quote.stance.label, quote.stance && quote.stance.confidence)),
    reportedEarlierNote(quote) ? h("p", { class: "earlier" }, reportedEarlierNote(quote)) : null,
    h("p", { class: "meta" }, type + cue + source),
  ];
}

function quoteById(id) {
  return articleState.article && articleState.article.quotes.find((q) => q.id === id);
}

function focusQuote(quoteId) {
  const mark = document.querySelector(`mark.quote[data-quote-id="${CSS.escape(quoteId)}"]`);
  if (!mark) {
    announce("That quote is not in this article any more.");
    return;
  }
  mark.scrollIntoView({ block: "center" });
  mark.focus({ preventScroll: true }); // focusin shows its details
}

// --- details on hover and focus ----------------------------------------------------------------
// One shared tooltip, referenced by every mark's aria-describedby, so screen readers read the
// details of the focused quote. It stays while the pointer is on it, and Escape dismisses it.

function initQuoteTips(container) {
  const tip = document.getElementById("quote-tip");
  container.addEventListener("focusin", (event) => {
    if (event.target.matches("mark.quote")) showTip(event.target);
  });
  container.addEventListener("focusout", () => hideTip(0));
  // pointermove, not mouseover: a tooltip that moves away from under a still pointer makes
  // the browser fire mouseover on the quote beneath, which would steal the keyboard's tooltip.
  container.addEventListener("pointermove", (event) => {
    const mark = event.target.closest("mark.quote");
    if (mark && mark !== articleState.tipMark) showTip(mark, event.clientY);
  });
  container.addEventListener("mouseout", (event) => {
    if (event.target.closest("mark.quote")) hideTip(200);
  });
  tip.addEventListener("mouseenter", () => clearTimeout(articleState.hideTipTimer));
  tip.addEventListener("mouseleave", () => hideTip(200));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !tip.hidden) hideTip(0);
  });
}

function showTip(mark, pointerY) {
  const quote = quoteById(mark.dataset.quoteId);
  if (!quote) return;
  clearTimeout(articleState.hideTipTimer);
  const tip = document.getElementById("quote-tip");
  fill(tip, quoteDetails(quote));
  tip.hidden = false;
  placeTip(tip, lineRect(mark, pointerY));
  articleState.tipMark = mark;
  setActiveQuote(quote.id);
}

function hideTip(delay) {
  clearTimeout(articleState.hideTipTimer);
  articleState.hideTipTimer = setTimeout(() => {
    document.getElementById("quote-tip").hidden = true;
    articleState.tipMark = null;
    setActiveQuote(null);
  }, delay);
}

/** Where the tooltip goes: under the line the pointer is on, or, for keyboard focus, under
 *  the mark's last line so that it does not hide the quote being read. */
function lineRect(mark, pointerY) {
  const rects = [...mark.getClientRects()];
  const under = pointerY === undefined ? null : rects.find((r) => pointerY >= r.top && pointerY <= r.bottom);
  return under || rects[rects.length - 1] || mark.getBoundingClientRect();
}

function placeTip(tip, rect) {
  const margin = 8;
  const viewportWidth = document.documentElement.clientWidth;
  const left = Math.min(Math.max(rect.left, margin), viewportWidth - tip.offsetWidth - margin);
  // Below the line when there is room in the viewport, else above it.
  const below = rect.bottom + margin + tip.offsetHeight <= window.innerHeight;
  const top = below ? rect.bottom + margin : rect.top - margin - tip.offsetHeight;
  tip.style.left = `${left + window.scrollX}px`;
  tip.style.top = `${top + window.scrollY}px`;
}

/** Outline every fragment of the quote, and its entry in the list, while one is active. */
function setActiveQuote(quoteId) {
  for (const element of document.querySelectorAll(".is-active")) element.classList.remove("is-active");
  if (!quoteId) return;
  const selector = `[data-quote-id="${CSS.escape(quoteId)}"]`;
  for (const element of document.querySelectorAll(`mark.quote${selector}, .quote-item${selector}`)) {
    element.classList.add("is-active");
  }
}

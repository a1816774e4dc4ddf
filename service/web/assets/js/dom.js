"use strict";
// Small DOM helpers shared by the views. Everything the API returns is put into the page as
// text nodes (never as HTML), so an article or a speaker name can never inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Create an element: h("a", {href: "#", class: "x", onclick: fn}, "text", child, ...). */
function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements, which need their namespace. */
function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.setAttribute("class", value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "style") setStyleVars(element, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Styles go through the CSSOM: the page's Content-Security-Policy forbids style attributes. */
function setStyleVars(element, vars) {
  for (const [name, value] of Object.entries(vars)) element.style.setProperty(name, value);
}

/** Replace a container's children. */
function fill(container, ...children) {
  container.replaceChildren();
  build(container, {}, children);
  return container;
}

/** Tell assistive technology (and everyone) what just happened, in the aria-live region. */
function announce(message) {
  document.getElementById("status").textContent = message;
}

const STANCE_SYMBOLS = { favor: "▲", against: "▼", neutral: "●" };

/** A stance badge: colour, symbol and word, so colour is never the only cue. */
function stanceBadge(label, confidence) {
  if (!label) return h("span", { class: "badge badge-none" }, "no stance");
  const percent = typeof confidence === "number" ? ` ${Math.round(confidence * 100)}%` : "";
  return h("span", { class: `badge badge-${label}` },
    h("span", { "aria-hidden": "true" }, STANCE_SYMBOLS[label] || "?"), ` ${label}`,
    percent ? h("span", { class: "badge-confidence" }, percent) : null);
}

/** Show an API error (RFC 9457 problem details) in an error box; hide the box on null. */
function showError(box, error) {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const problem = error.problem || { title: "Something went wrong", detail: String(error.message || error) };
  const status = problem.status || error.status;
  const fieldErrors = Object.entries(problem.errors || {});
  fill(box,
    h("p", { class: "error-title" }, problem.title || "Error", status ? ` (${status})` : ""),
    problem.detail ? h("p", {}, problem.detail) : null,
    fieldErrors.length
      ? h("ul", {}, fieldErrors.map(([field, messages]) =>
          h("li", {}, h("strong", {}, field), ": ", [].concat(messages).join(" "))))
      : null,
    problem.request_id ? h("p", { class: "meta" }, `Request id: ${problem.request_id}`) : null);
  box.hidden = false;
}

/** "2018-04-18" -> "18 Apr 2018", in UTC so a date never moves by a day with the time zone. */
function formatDate(iso) {
  if (!iso) return "undated";
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** A quote that reports an earlier statement ("last week he said ...") says so: it is not
 *  what the speaker says as of the article's date. Null for a quote of the day. */
function reportedEarlierNote(quote) {
  if (!quote.reported_earlier) return null;
  return quote.said_on ? `reported earlier: said about ${formatDate(quote.said_on)}`
    : "reported earlier: said before this article";
}

/** Shorten a quote for lists: whole words, an ellipsis when cut. */
function excerpt(text, maxLength = 110) {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= maxLength) return clean;
  return `${clean.slice(0, maxLength).replace(/\s+\S*$/, "")}…`;
}

/** Hash routes, built in one place so that links and the router agree. */
const routes = {
  article: (id, quoteId) =>
    `#/article/${encodeURIComponent(id)}${quoteId ? `/quote/${encodeURIComponent(quoteId)}` : ""}`,
  speaker: (id) => `#/speaker/${encodeURIComponent(id)}`,
};

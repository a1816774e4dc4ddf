"use strict";
// The stance timeline of one speaker on one topic, drawn as inline SVG (no chart library):
// time runs left to right, the three stances are rows, and every quote is one mark that links
// to the quote in its article. A table under each chart lists the same quotes as text.

const CHART = { width: 760, height: 184, left: 96, right: 28, top: 24, bottom: 40 };
const STANCE_ROWS = ["favor", "neutral", "against"]; // top to bottom
const DAY_MS = 24 * 60 * 60 * 1000;
const MARK_SIZE = 7;

/** items: history items of one topic ({date, stance, quote, article}); shifts: of that topic. */
function timelineChart(items, { captionId, shifts = [] }) {
  const dated = items.filter((item) => pointDate(item) && STANCE_ROWS.includes(item.stance));
  const days = dated.map((item) => dayNumber(pointDate(item)));
  const x = xScale(timeDomain(days));
  const points = placePoints(dated, x);
  return s("svg", {
    class: "timeline-chart",
    viewBox: `0 0 ${CHART.width} ${CHART.height}`,
    role: "group",
    "aria-labelledby": captionId,
  },
  rowsAndLabels(),
  timeAxis(x, timeDomain(days)),
  shifts.map((shift) => shiftMarker(x(dayNumber(shift.date)), shift)),
  trendLine(points),
  points.map(pointMark));
}

/** A statement the article reports as earlier is placed on the day it was made, when the
 *  service could date it: that is when the speaker held the position. */
function pointDate(item) {
  return item.quote.said_on || item.date;
}

/** Whole days since the epoch, in UTC, for a date "YYYY-MM-DD". */
function dayNumber(iso) {
  return Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

function isoFromDay(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The dates shown: all quotes, with a margin so that a single day still has some width. */
function timeDomain(days) {
  if (!days.length) return [0, 1];
  const [first, last] = [Math.min(...days), Math.max(...days)];
  const margin = Math.max(3, (last - first) * 0.06);
  return [first - margin, last + margin];
}

function xScale([first, last]) {
  const width = CHART.width - CHART.left - CHART.right;
  return (day) => CHART.left + ((day - first) / (last - first)) * width;
}

function rowY(stance) {
  const height = CHART.height - CHART.top - CHART.bottom;
  return CHART.top + (height * (STANCE_ROWS.indexOf(stance) + 0.5)) / STANCE_ROWS.length;
}

/** Positions in time order. Quotes of the same day and stance are spread sideways a little,
 *  so that each stays visible and clickable. */
function placePoints(items, x) {
  const groups = new Map();
  for (const item of [...items].sort((a, b) => pointDate(a).localeCompare(pointDate(b)))) {
    const key = `${pointDate(item)}|${item.stance}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(item);
  }
  const points = [];
  for (const group of groups.values()) {
    const spacing = Math.min(2 * MARK_SIZE + 2, 90 / group.length);
    group.forEach((item, i) => points.push({
      item,
      x: x(dayNumber(pointDate(item))) + (i - (group.length - 1) / 2) * spacing,
      y: rowY(item.stance),
    }));
  }
  return points.sort((a, b) => pointDate(a.item).localeCompare(pointDate(b.item)) || a.x - b.x);
}

function rowsAndLabels() {
  return STANCE_ROWS.map((stance) => s("g", { class: `row row-${stance}` },
    s("line", { class: "gridline", x1: CHART.left, x2: CHART.width - CHART.right,
      y1: rowY(stance), y2: rowY(stance) }),
    s("text", { class: "row-label", x: CHART.left - 12, y: rowY(stance), "text-anchor": "end",
      "dominant-baseline": "middle" }, `${STANCE_SYMBOLS[stance]} ${stance}`)));
}

function timeAxis(x, [first, last]) {
  const y = CHART.height - CHART.bottom + 6;
  const span = last - first;
  const count = Math.max(2, Math.min(5, Math.round(span) + 1));
  const ticks = [...new Set(Array.from({ length: count },
    (_, i) => Math.round(first + (span * (i + 0.5)) / count)))];
  return s("g", { class: "axis", "aria-hidden": "true" },
    s("line", { class: "axis-line", x1: CHART.left, x2: CHART.width - CHART.right, y1: y, y2: y }),
    ticks.map((day) => s("g", {},
      s("line", { class: "axis-line", x1: x(day), x2: x(day), y1: y, y2: y + 5 }),
      s("text", { class: "tick-label", x: x(day), y: y + 20, "text-anchor": "middle" },
        formatDate(isoFromDay(day))))));
}

function shiftMarker(xPosition, shift) {
  return s("g", { class: "shift-marker" },
    s("title", {}, shift.explanation || `Shift on ${shift.date}`),
    s("line", { x1: xPosition, x2: xPosition, y1: CHART.top - 10, y2: CHART.height - CHART.bottom + 6 }),
    s("text", { x: xPosition + 4, y: CHART.top - 12 }, "shift"));
}

/** A thin line through the marks in time order, so the eye can follow the position. */
function trendLine(points) {
  if (points.length < 2) return null;
  return s("polyline", { class: "trend", points: points.map((p) => `${p.x},${p.y}`).join(" ") });
}

/** One quote: a link to it. Hollow when the article reports it as an earlier statement. */
function pointMark({ item, x, y }) {
  const earlier = reportedEarlierNote(item.quote);
  const label = `${formatDate(pointDate(item))}, ${item.stance}: “${excerpt(item.quote.content.text, 90)}”`
    + ` (${item.article.title || "untitled article"}${earlier ? `; ${earlier}` : ""})`;
  return s("a", {
    class: `point point-${item.stance}${earlier ? " point-earlier" : ""}`,
    href: routes.article(item.article.id, item.quote.id),
    "aria-label": label,
    "data-quote-id": item.quote.id,
  },
  s("title", {}, label),
  s("circle", { class: "halo", cx: x, cy: y, r: MARK_SIZE + 5 }),
  markShape(item.stance, x, y));
}

/** Triangle up for favor, down for against, a disc for neutral: shape as well as colour. */
function markShape(stance, x, y) {
  const r = MARK_SIZE;
  if (stance === "neutral") return s("circle", { class: "shape", cx: x, cy: y, r: r - 1 });
  const tip = stance === "favor" ? -r : r;
  return s("path", {
    class: "shape",
    d: `M ${x} ${y + tip} L ${x + r} ${y - tip * 0.8} L ${x - r} ${y - tip * 0.8} Z`,
  });
}

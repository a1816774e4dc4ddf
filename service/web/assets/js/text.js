"use strict";
// Offsets. The API counts Unicode code points (Python's str indices); JavaScript strings count
// UTF-16 units, so an emoji or any character outside the Basic Multilingual Plane would shift
// every later highlight by one. We therefore split the text into code points once
// (Array.from iterates by code point) and slice that array with the API's offsets.

/** The ranges of the text a quote covers: its content fragments when discontinuous
 *  ("I like it," he said, "and I want it."), else its content. Invalid ranges are dropped. */
function contentRanges(quote, length) {
  const spans = quote.content_fragments && quote.content_fragments.length
    ? quote.content_fragments
    : [quote.content];
  return spans.filter((span) => isValidSpan(span, length));
}

function isValidSpan(span, length) {
  return Boolean(span) && Number.isInteger(span.start) && Number.isInteger(span.end)
    && span.start >= 0 && span.start < span.end && span.end <= length;
}

/**
 * Cut [0, length) into consecutive segments at every range boundary. Each segment says which
 * range covers it: when ranges overlap (a quote nested in another, a source inside a content),
 * the one with the higher `priority`, then the innermost (latest start) wins.
 * ranges: [{start, end, priority, ...}]  ->  [{start, end, range|null}]
 */
function segment(length, ranges) {
  const cuts = new Set([0, length]);
  for (const range of ranges) { cuts.add(range.start); cuts.add(range.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const segments = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = ranges.filter((r) => r.start <= start && r.end >= end);
    segments.push({ start, end, range: covering.reduce(preferred, null) });
  }
  return segments;
}

function preferred(best, range) {
  if (!best) return range;
  if (range.priority !== best.priority) return range.priority > best.priority ? range : best;
  return range.start > best.start ? range : best;
}

/** The text of [start, end) from a code-point array. */
function sliceCodePoints(codePoints, start, end) {
  return codePoints.slice(start, end).join("");
}

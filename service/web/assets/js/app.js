"use strict";
// Start-up, the hash router and the API-key prompt. Routes live in the URL's hash so that every
// view (an article, a quote in it, a speaker) can be bookmarked and opened from a link, and so
// that the back button works, without any server-side routing beyond `/`.

const VIEWS = { article: "article-view", speaker: "speaker-view" };

async function route({ moveFocus }) {
  const hash = location.hash || "#/article";
  const decode = decodeURIComponent;
  let match;
  if ((match = hash.match(/^#\/article\/([^/]+)(?:\/quote\/([^/]+))?$/))) {
    showView("article");
    await openArticle(decode(match[1]), match[2] && decode(match[2]));
  } else if ((match = hash.match(/^#\/speaker\/([^/]+)$/))) {
    showView("speaker");
    ensureSpeakerList();
    await openSpeaker(decode(match[1]));
  } else {
    const view = hash.startsWith("#/speaker") ? "speaker" : "article";
    showView(view);
    if (view === "speaker") ensureSpeakerList();
    // Someone who followed a link lands on the view's heading, as after a page load.
    if (moveFocus) document.getElementById(`${VIEWS[view]}-heading`).focus();
  }
}

function showView(name) {
  for (const [view, id] of Object.entries(VIEWS)) {
    document.getElementById(id).hidden = view !== name;
    const link = document.getElementById(`nav-${view}`);
    if (view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (name !== "article") hideTip(0);
}

// --- API key ----------------------------------------------------------------------------------
// Requests that meet a 401 all wait on one pending prompt; the key the editor enters answers
// all of them, and each retries.

const keyPrompt = { pending: null, resolve: null };

function promptForApiKey(problem, attempt) {
  const panel = document.getElementById("key-panel");
  const message = document.getElementById("key-message");
  message.textContent = attempt > 0 || apiKey.get()
    ? "The service refused this API key. Enter another one."
    : `${problem.detail || "The service asks for an API key."} The key is kept for this browser tab only.`;
  if (!keyPrompt.pending) {
    keyPrompt.pending = new Promise((resolve) => { keyPrompt.resolve = resolve; });
  }
  if (panel.hidden) {
    panel.hidden = false;
    document.getElementById("key-input").focus();
    announce("An API key is needed.");
  }
  return keyPrompt.pending;
}

function submitApiKey(event) {
  event.preventDefault();
  const input = document.getElementById("key-input");
  apiKey.set(input.value.trim());
  input.value = "";
  document.getElementById("key-panel").hidden = true;
  document.getElementById("forget-key").hidden = false;
  announce("API key saved for this tab. Retrying…");
  const resolve = keyPrompt.resolve;
  keyPrompt.pending = null;
  keyPrompt.resolve = null;
  if (resolve) resolve();
}

function forgetApiKey() {
  apiKey.clear();
  document.getElementById("forget-key").hidden = true;
  announce("The API key was removed from this tab.");
}

// --- start ------------------------------------------------------------------------------------

function start() {
  askForApiKey = promptForApiKey;
  document.getElementById("key-form").addEventListener("submit", submitApiKey);
  document.getElementById("forget-key").addEventListener("click", forgetApiKey);
  document.getElementById("forget-key").hidden = !apiKey.get();
  initArticleView();
  initSpeakerView();
  window.addEventListener("hashchange", () => route({ moveFocus: true }));
  loadStoredArticles(false);
  route({ moveFocus: false });
}

start();

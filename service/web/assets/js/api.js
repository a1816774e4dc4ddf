"use strict";
// The JSON API client. It adds the editor's API key, turns problem+json answers into
// ApiError, and on 401 asks for a key and retries, so the views never deal with keys.

const KEY_STORAGE = "quotes.apiKey";

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem; // {type, title, status, detail, errors?, request_id?}
  }
}

// sessionStorage: the key lives as long as the tab, and is never written to disk by us.
const apiKey = {
  get() {
    try { return sessionStorage.getItem(KEY_STORAGE); } catch { return null; }
  },
  set(key) { sessionStorage.setItem(KEY_STORAGE, key); },
  clear() { sessionStorage.removeItem(KEY_STORAGE); },
};

// Installed by app.js: called on a 401, resolves once the editor has entered a key.
let askForApiKey = null;

/** Call the API; returns the parsed JSON body, or throws ApiError. */
async function api(method, path, body) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await send(method, path, body);
    if (response.status === 401 && askForApiKey) {
      // Each retry waits for the editor to type a key, so this loop never spins by itself.
      await askForApiKey(await readProblem(response), attempt);
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
    return response.status === 204 ? null : response.json();
  }
}

async function send(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const key = apiKey.get();
  if (key) headers.Authorization = `Bearer ${key}`;
  try {
    return await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, {
      title: "The service could not be reached",
      detail: `${error.message}. Check that it is running and that you are online.`,
    });
  }
}

/** The problem details of an error answer; a plain one when the body is not JSON. */
async function readProblem(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try { return await response.json(); } catch { /* fall through to the generic problem */ }
  }
  return {
    title: response.statusText || "Error",
    status: response.status,
    detail: `The service answered HTTP ${response.status}.`,
  };
}

/** Add query parameters to a path, skipping empty ones. */
function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

/** Every page of a paginated list, following next_cursor. `maxPages` guards against a
 *  server that never says it is done. */
async function fetchAllPages(path, maxPages = 200) {
  const pages = [];
  let cursor = null;
  do {
    const page = await api("GET", withQuery(path, { cursor }));
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor && pages.length < maxPages);
  return pages;
}

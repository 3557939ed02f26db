// Personicle Connect demo page: sign in as a demo user, list, connect, disconnect and sync providers.
// Back from a provider with status=pending, it confirms the pending link with the signed-in user's
// bearer, as the Personicle frontend must (README: "Confirming a connection").
"use strict";

const API_BASE = document.body.dataset.apiBase.replace(/\/+$/, "");
const TOKEN_KEY = "personicle-demo.token";
const USER_KEY = "personicle-demo.user";
const FIELDS = ["provider", "status", "account_label", "scopes", "connected_at", "last_sync_at", "last_error", "end_of_service"];

const $ = (selector) => document.querySelector(selector);

function signedInToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function showMessage(text) {
  $("#message").textContent = text;
}

function showError(text) {
  $("#api-error").textContent = text;
}

class ApiError extends Error {
  constructor(status, body) {
    const detail = body && body.error ? `${body.error.code}: ${body.error.message}` : JSON.stringify(body);
    super(`HTTP ${status} ${detail}`);
    this.status = status;
    this.body = body;
  }
}

async function callApi(method, path, body) {
  const headers = { Authorization: `Bearer ${signedInToken()}` };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(API_BASE + path, init);
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      data = { error: { code: "not_json", message: text.slice(0, 200) } };
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

function renderBanner(detail) {
  const params = new URLSearchParams(window.location.search);
  const provider = params.get("provider");
  const status = params.get("status");
  if (!provider && !status) {
    return;
  }
  const banner = $("#status-banner");
  const extra = ["error", "message", "code"].filter((k) => params.get(k)).map((k) => `${k}=${params.get(k)}`);
  if (detail) {
    extra.push(detail);
  }
  banner.textContent = `${provider || "?"}: ${status || "?"}` + (extra.length ? ` (${extra.join(", ")})` : "");
  banner.dataset.provider = provider || "";
  banner.dataset.status = status || "";
  banner.hidden = false;
}

function showResult(provider, status) {
  // Replace the address: the one-time link must not stay in the history or be reloaded.
  const query = new URLSearchParams({ provider, status });
  window.history.replaceState(null, "", `${window.location.pathname}?${query}`);
}

async function confirmPendingLink() {
  const params = new URLSearchParams(window.location.search);
  const provider = params.get("provider");
  const link = params.get("link");
  if (params.get("status") !== "pending" || !provider || !link) {
    return null;
  }
  if (!signedInToken()) {
    showResult(provider, "not_signed_in");
    return "sign in and connect again to finish";
  }
  try {
    const connection = await callApi("POST", `/oauth/${provider}/confirm`, { link });
    showResult(provider, "connected");
    return connection.account_label ? `account: ${connection.account_label}` : null;
  } catch (err) {
    const code = err.body && err.body.error ? err.body.error.code : "confirm_failed";
    showResult(provider, code);
    return code === "link_user_mismatch" ? "started by someone else; cancelled" : err.message;
  }
}

function cellText(field, value) {
  if (value === null || value === undefined || value === "") {
    return "";
  }
  if (field === "scopes" && Array.isArray(value)) {
    return value.join(" ");
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function renderConnections(connections) {
  if (window.renderSyncProgress) {
    window.renderSyncProgress(connections);
  }
  const body = $("#connections-body");
  body.replaceChildren();
  if (connections.length === 0) {
    const row = body.insertRow();
    row.className = "empty";
    const cell = row.insertCell();
    cell.colSpan = FIELDS.length;
    cell.className = "muted";
    cell.textContent = signedInToken() ? "No connections yet." : "Sign in to see connections.";
    return;
  }
  for (const connection of connections) {
    const row = body.insertRow();
    row.id = `connection-${connection.provider}`;
    row.dataset.provider = connection.provider;
    row.dataset.status = connection.status || "";
    for (const field of FIELDS) {
      const cell = row.insertCell();
      cell.dataset.field = field;
      cell.textContent = cellText(field, connection[field]);
    }
  }
}

function renderSignedIn() {
  const user = sessionStorage.getItem(USER_KEY);
  $("#signed-in-user").textContent = user || "nobody";
  document.body.dataset.user = user || "";
  for (const button of document.querySelectorAll("[data-action]")) {
    button.disabled = !user;
  }
}

async function loadConnections() {
  if (!signedInToken()) {
    renderConnections([]);
    return;
  }
  try {
    const data = await callApi("GET", "/connections");
    renderConnections((data && data.connections) || []);
    showError("");
  } catch (err) {
    showError(`Could not load connections: ${err.message}`);
  }
}

async function signIn(user) {
  showError("");
  try {
    const response = await fetch("/oidc/demo-token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user }),
    });
    const data = await response.json();
    if (!response.ok) {
      throw new Error(data.error_description || `HTTP ${response.status}`);
    }
    sessionStorage.setItem(TOKEN_KEY, data.access_token);
    sessionStorage.setItem(USER_KEY, user);
  } catch (err) {
    showError(`Sign-in failed: ${err.message}`);
    return;
  }
  renderSignedIn();
  await loadConnections();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  renderSignedIn();
  renderConnections([]);
  showMessage("");
  showError("");
}

async function connect(provider) {
  const returnTo = window.location.origin + window.location.pathname;
  const data = await callApi("POST", `/oauth/${provider}/start`, { return_to: returnTo });
  window.location.assign(data.authorization_url);
}

async function disconnect(provider) {
  await callApi("DELETE", `/connections/${provider}`);
  showMessage(`${provider}: disconnected`);
  await loadConnections();
}

async function syncNow(provider) {
  await callApi("POST", `/connections/${provider}/sync`);
  showMessage(`${provider}: sync requested`);
  await loadConnections();
}

const ACTIONS = { connect, disconnect, sync: syncNow };

function wire() {
  for (const button of document.querySelectorAll("[data-user]")) {
    button.addEventListener("click", () => signIn(button.dataset.user));
  }
  $("#signout").addEventListener("click", signOut);
  $("#reload").addEventListener("click", loadConnections);
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", async () => {
      showError("");
      try {
        await ACTIONS[button.dataset.action](button.dataset.provider);
      } catch (err) {
        showError(`${button.dataset.action} ${button.dataset.provider} failed: ${err.message}`);
      }
    });
  }
}

async function main() {
  wire();
  renderSignedIn();
  const detail = await confirmPendingLink();
  renderBanner(detail);
  await loadConnections();
}

main();

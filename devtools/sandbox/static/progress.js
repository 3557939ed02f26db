// Demo page, sync progress: per stream "synced through ...; history back to ... (62%)", refreshed while
// a history is still filling. Reads the `streams` of GET /api/connections.
"use strict";

const PROGRESS_REFRESH_MS = 3000;
let progressTimer = null;

function progressTime(iso) {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "?";
}

function progressText(stream) {
  if (stream.status === "not_granted") {
    return "not granted";
  }
  if (!stream.synced_through) {
    return stream.status === "pending" ? "waiting for its first sync" : `${stream.status}: ${stream.last_error || ""}`;
  }
  let text = `synced through ${progressTime(stream.synced_through)}; `;
  if (stream.history_complete) {
    text += stream.history_from ? `history complete back to ${progressTime(stream.history_from)}` : "history complete";
  } else {
    text += `history back to ${progressTime(stream.history_from)} (${stream.history_percent}%)`;
  }
  if (stream.last_record_at) {
    text += `; last record ${progressTime(stream.last_record_at)}`;
  }
  if (stream.status !== "ok") {
    text += ` [${stream.status}: ${stream.last_error || ""}]`;
  }
  return text;
}

function stillFilling(stream) {
  return ["ok", "pending"].includes(stream.status) && !stream.history_complete;
}

function renderSyncProgress(connections) {
  const box = document.querySelector("#sync-progress");
  box.replaceChildren();
  let filling = false;
  for (const connection of connections) {
    if (connection.status !== "active" || !connection.streams) {
      continue;
    }
    const heading = document.createElement("h3");
    heading.textContent = connection.provider;
    const list = document.createElement("ul");
    list.id = `progress-${connection.provider}`;
    for (const stream of connection.streams) {
      const item = document.createElement("li");
      item.dataset.stream = stream.stream;
      item.dataset.percent = stream.history_percent === null ? "" : String(stream.history_percent);
      const name = document.createElement("code");
      name.textContent = stream.stream;
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = stream.history_percent || 0;
      item.append(name, " ", bar, ` ${progressText(stream)}`);
      list.append(item);
      filling = filling || stillFilling(stream);
    }
    box.append(heading, list);
  }
  clearTimeout(progressTimer);
  if (filling) {
    progressTimer = setTimeout(loadConnections, PROGRESS_REFRESH_MS);
  }
}

window.renderSyncProgress = renderSyncProgress;

// Charts of what the local Personicle stand-in stored for one user (?user=<id>), per source.
"use strict";

const palette = ["#00b0b9", "#8a5cf6", "#ea4335", "#f59e0b", "#10b981", "#607080"];
// One colour per source, the same on every chart (a hash of its name picks it).
const colour = (source) => palette[[...source].reduce((sum, c) => sum + c.charCodeAt(0), 0) % palette.length];
const params = new URLSearchParams(location.search);
const user = params.get("user");

function timeAxis() {
  return {
    type: "linear", beginAtZero: false, grace: 0,
    ticks: { callback: (value) => new Date(value).toISOString().slice(5, 13).replace("T", " ") + "h", maxTicksLimit: 8 },
  };
}

function lineChart(id, bySource) {
  const datasets = Object.entries(bySource).map(([source, points]) => ({
    label: source, borderColor: colour(source), backgroundColor: colour(source), pointRadius: 0, borderWidth: 1.5,
    data: points.map(([time, value]) => ({ x: Date.parse(time), y: value })),
  }));
  return new Chart(document.getElementById(id), {
    type: "line", data: { datasets }, options: { animation: false, maintainAspectRatio: false, scales: { x: timeAxis() } },
  });
}

function timeline(events) {
  const labels = [...new Set(events.map((e) => `${e.source}: ${e.event_name || e.event_type.split(".").pop()}`))];
  const datasets = [{
    label: "events", borderWidth: 0,
    backgroundColor: events.map((e) => colour(e.source)),
    data: events.map((e) => ({
      y: `${e.source}: ${e.event_name || e.event_type.split(".").pop()}`, x: [Date.parse(e.start), Date.parse(e.end)],
    })),
  }];
  return new Chart(document.getElementById("timeline"), {
    type: "bar", data: { labels, datasets },
    options: {
      indexAxis: "y", animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { x: timeAxis() },
    },
  });
}

async function show() {
  const status = document.getElementById("status");
  if (!user) { status.textContent = "Sign in on the demo page to see your data."; return; }
  const answer = await fetch(`/data?user=${encodeURIComponent(user)}`);
  const week = await answer.json();
  const hasData = Object.keys(week.series.heart_rate).length + Object.keys(week.series.steps).length + week.events.length;
  status.textContent = `Stored for ${week.individual_id} since ${week.since.slice(0, 16).replace("T", " ")} UTC`;
  document.getElementById("empty").hidden = Boolean(hasData);
  lineChart("heart-rate", week.series.heart_rate);
  lineChart("steps", week.series.steps);
  timeline(week.events);
  document.body.dataset.ready = "true";
}

show().catch((error) => { document.getElementById("status").textContent = `Could not load: ${error}`; });

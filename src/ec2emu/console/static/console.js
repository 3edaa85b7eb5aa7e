// The console's one script: live states, actions on the selection and the clock's
// buttons without a reload. Every POST carries the page's CSRF token.
"use strict";
(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  const TRANSITIONAL = new Set(["pending", "stopping", "shutting-down", "creating", "deleting"]);

  function badge(state) {
    const span = document.createElement("span");
    span.className = "state state-" + state;
    span.dataset.state = state;
    if (TRANSITIONAL.has(state)) {
      const spin = document.createElement("span");
      spin.className = "spinner";
      spin.setAttribute("aria-hidden", "true");
      span.appendChild(spin);
    }
    span.appendChild(document.createTextNode(state));
    return span;
  }

  async function post(form, submitter) {
    const body = new URLSearchParams(new FormData(form, submitter));
    // getAttribute: a control named "action" would shadow form.action
    const response = await fetch(form.getAttribute("action"), {
      method: "POST", body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: { code: "Error", message: String(response.status) } }; }
    return data;
  }

  // ---- the instances table
  const act = document.getElementById("act");
  const grid = document.getElementById("instances");
  const outcome = document.getElementById("outcome");
  function rows() { return grid ? Array.from(grid.querySelectorAll("tbody tr[data-id]")) : []; }

  async function poll() {
    const ids = rows().map((row) => row.dataset.id);
    if (!act || !ids.length) return;
    const url = new URL(act.dataset.poll, location.href);
    ids.forEach((id) => url.searchParams.append("id", id));
    try {
      const response = await fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      rows().forEach((row) => {
        const state = data.states[row.dataset.id];
        const cell = row.querySelector(".state");
        if (state && cell && cell.dataset.state !== state) cell.replaceWith(badge(state));
        const guard = row.querySelector(".protection");
        const flags = (data.protection || {})[row.dataset.id];
        if (guard && flags && guard.textContent !== flags) guard.textContent = flags;
      });
    } catch (e) { /* the next poll tries again */ }
  }

  function show(data) {
    if (!outcome) return;
    outcome.replaceChildren();
    const errors = (data.errors || []).concat(data.error ? [data.error] : []);
    errors.forEach((error) => {
      const p = document.createElement("p");
      p.className = "message error";
      p.setAttribute("role", "alert");
      p.textContent = error.code + ": " + error.message;
      outcome.appendChild(p);
    });
    (data.changed || []).forEach((change) => {
      const p = document.createElement("p");
      p.className = "message ok";
      p.textContent = change.id + ": " + change.state;
      outcome.appendChild(p);
    });
  }

  if (act) {
    act.addEventListener("submit", async (event) => {
      event.preventDefault();
      show(await post(act, event.submitter));
      poll();
    });
    setInterval(poll, Number(act.dataset.pollMs) || 1500);
  }
  const all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", () => {
      rows().forEach((row) => {
        const box = row.querySelector('input[type="checkbox"]');
        box.checked = all.checked;
        row.classList.toggle("selected", all.checked);
      });
    });
  }
  rows().forEach((row) => {
    const box = row.querySelector('input[type="checkbox"]');
    if (box) box.addEventListener("change", () => row.classList.toggle("selected", box.checked));
  });

  // ---- the clock
  document.querySelectorAll("form[data-clock]").forEach((form) => {
    const output = form.querySelector("output.now");
    async function refresh() {
      const response = await fetch(form.dataset.now, { headers: { "Accept": "application/json" } });
      if (response.ok && output) output.textContent = (await response.json()).now;
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = await post(form, event.submitter);
      if (data.now && output) output.textContent = data.now;
      else if (data.error) show(data);
      poll();
    });
    refresh();
  });
})();

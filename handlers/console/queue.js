// The support queue: conversations handed over by the bot, refreshed every
// 3 seconds, in three tabs with counts.

import { ago, api, describe, every, h, reasonNames, session, statusBadge, typeNames, yuan } from "./lib.js";

const tabs = [
  { id: "waiting", label: "等待中", match: (x) => x.status === "waiting" },
  { id: "mine", label: "我的", match: (x) => x.status === "active" && x.agent === (session.me && session.me.name) },
  { id: "all", label: "全部", match: () => true },
];

let current = "waiting"; // kept across visits

export function render(main) {
  const badges = {};
  const tabButtons = tabs.map((t) => {
    badges[t.id] = h("span", { class: "badge", "aria-label": "" }, "0");
    return h("button", {
      type: "button", role: "tab", id: "tab-" + t.id, "aria-controls": "queue-panel",
      "aria-selected": String(t.id === current), tabindex: t.id === current ? "0" : "-1",
      onclick: () => select(t.id),
    }, t.label, badges[t.id]);
  });
  const tablist = h("div", { class: "tabs", role: "tablist", "aria-label": "队列筛选" }, tabButtons);
  tablist.addEventListener("keydown", (ev) => {
    const i = tabs.findIndex((t) => t.id === current);
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      const next = tabs[(i + (ev.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      select(next.id);
      document.getElementById("tab-" + next.id).focus();
    }
  });
  const panel = h("div", { id: "queue-panel", role: "tabpanel", "aria-labelledby": "tab-" + current });
  const status = h("p", { class: "muted small", id: "queue-updated", "aria-live": "off" });
  const errBox = h("div", { class: "error-box", role: "alert", hidden: true });
  main.append(h("section", { "aria-labelledby": "queue-title" },
    h("div", { class: "row" }, h("h1", { id: "queue-title", class: "grow" }, "客服队列"), status),
    errBox, tablist, panel));

  let all = [];
  function select(id) {
    current = id;
    for (const b of tabButtons) {
      const on = b.id === "tab-" + id;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    panel.setAttribute("aria-labelledby", "tab-" + id);
    draw();
  }

  function draw() {
    for (const t of tabs) {
      const n = all.filter(t.match).length;
      badges[t.id].textContent = String(n);
      badges[t.id].setAttribute("aria-label", `${n} 个`);
      badges[t.id].classList.toggle("hot", t.id === "waiting" && n > 0);
    }
    const rows = all.filter(tabs.find((t) => t.id === current).match);
    if (rows.length === 0) {
      panel.replaceChildren(h("p", { class: "panel empty" }, current === "waiting" ? "没有等待中的会话。" : "这里还没有会话。"));
      return;
    }
    panel.replaceChildren(h("table", { id: "queue-table" },
      h("caption", { class: "sr-only" }, "会话列表"),
      h("thead", {}, h("tr", {},
        ["买家", "转人工原因", "订单", "类型 / 原因", "金额", "凭证", "状态", "客服", "等待"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.map(row))));
  }

  function row(x) {
    const c = x.collected || {};
    const link = h("a", { href: "#/handoffs/" + encodeURIComponent(x.id), class: "open-handoff", dataset: { openid: x.openid } }, x.openid);
    return h("tr", { class: "clickable", dataset: { id: x.id, openid: x.openid } },
      h("td", {}, link),
      h("td", {}, x.reason || "—"),
      h("td", {}, c.order_id ? [h("div", {}, c.order_id), h("div", { class: "muted small" }, c.order_title || "")] : "—"),
      h("td", {}, c.type ? typeNames[c.type] || c.type : "—", " / ", c.reason ? reasonNames[c.reason] || c.reason : "—"),
      h("td", { class: "num" }, c.amount ? yuan(c.amount) : c.paid_amount ? h("span", { class: "muted" }, "实付 " + yuan(c.paid_amount)) : "—"),
      h("td", { class: "num" }, String(c.evidence_count || 0)),
      h("td", {}, statusBadge(x.status)),
      h("td", {}, x.agent || "—"),
      h("td", { class: "ago", dataset: { since: x.status === "closed" ? "" : x.created_at } }, x.status === "closed" ? "—" : ago(x.created_at)),
    );
  }

  // Redraw only when something changed, so keyboard focus stays put.
  let seen = "";
  return every(3000, async () => {
    try {
      const data = await api("GET", "/handoffs");
      all = data.handoffs || [];
      errBox.hidden = true;
      status.textContent = "每 3 秒自动刷新 · 最后更新 " + new Date().toLocaleTimeString("zh-CN");
      const sig = JSON.stringify(all);
      if (sig !== seen) {
        seen = sig;
        draw();
      } else {
        for (const td of panel.querySelectorAll("td.ago")) if (td.dataset.since) td.textContent = ago(td.dataset.since);
      }
    } catch (e) {
      errBox.textContent = describe(e);
      errBox.hidden = false;
    }
  });
}

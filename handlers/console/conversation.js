// One handed-over conversation: what the bot collected, the transcript
// (refreshed every 2 seconds), the reply box, notes and the actions.

import { api, describe, every, fromNames, h, reasonNames, session, statusBadge, time, toast, typeNames, yuan } from "./lib.js";

const MAX_REPLY = 600;

export function render(main, [id]) {
  const title = h("h1", { id: "conv-title", class: "grow" }, "会话");
  const statusSlot = h("span", { id: "conv-status" });
  const errBox = h("div", { class: "error-box", role: "alert", id: "conv-error", hidden: true });
  const log = h("ol", { class: "chat transcript", id: "transcript", role: "log", "aria-live": "polite", "aria-label": "聊天记录" });

  const replyBox = h("textarea", { id: "reply-text", rows: "3", maxlength: String(MAX_REPLY), "aria-describedby": "reply-count" });
  const count = h("span", { id: "reply-count", class: "muted small", "aria-live": "polite" }, `0 / ${MAX_REPLY}`);
  const sendBtn = h("button", { type: "submit", class: "btn btn-primary", id: "reply-send" }, "发送给买家");
  const replyErr = h("div", { class: "error-box", role: "alert", id: "reply-error", hidden: true });
  replyBox.addEventListener("input", () => { count.textContent = `${[...replyBox.value].length} / ${MAX_REPLY}`; });
  replyBox.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) replyForm.requestSubmit();
  });
  const replyForm = h("form", { id: "reply-form", "aria-label": "回复买家" },
    h("label", { for: "reply-text" }, "回复买家", h("span", { class: "hint" }, "通过微信客服消息发送,Ctrl+Enter 发送")),
    replyBox, replyErr,
    h("div", { class: "row" }, count, h("span", { class: "grow" }), sendBtn));

  const facts = h("dl", { class: "facts", id: "facts" });
  const notes = h("ul", { id: "notes", class: "small" });
  const noteInput = h("input", { type: "text", id: "note-text", maxlength: String(MAX_REPLY) });
  const noteForm = h("form", { id: "note-form" },
    h("label", { for: "note-text" }, "添加内部备注", h("span", { class: "hint" }, "买家看不到")),
    h("div", { class: "row" }, h("div", { class: "grow" }, noteInput), h("button", { type: "submit", class: "btn" }, "添加备注")));

  const claimBtn = h("button", { type: "button", class: "btn", id: "btn-claim" }, "认领");
  const releaseBtn = h("button", { type: "button", class: "btn", id: "btn-release" }, "交还机器人");
  const resolveBtn = h("button", { type: "button", class: "btn btn-primary", id: "btn-resolve" }, "标记已解决");

  main.append(
    h("p", {}, h("a", { href: "#/queue" }, "← 返回队列")),
    h("div", { class: "row" }, title, statusSlot),
    errBox,
    h("div", { class: "grid-2" },
      h("section", { class: "panel", "aria-labelledby": "transcript-title" },
        h("h2", { id: "transcript-title" }, "聊天记录", h("span", { class: "muted small" }, " · 每 2 秒更新")),
        log, replyForm),
      h("aside", { "aria-label": "会话信息" },
        h("section", { class: "panel", "aria-labelledby": "facts-title" }, h("h2", { id: "facts-title" }, "机器人已收集的信息"), facts),
        h("section", { class: "panel", "aria-labelledby": "actions-title" },
          h("h2", { id: "actions-title" }, "操作"),
          h("div", { class: "row" }, claimBtn, releaseBtn, resolveBtn),
          h("p", { class: "muted small" }, "交还或解决后,机器人会告诉买家并继续服务。")),
        h("section", { class: "panel", "aria-labelledby": "notes-title" }, h("h2", { id: "notes-title" }, "备注与记录"), notes, noteForm))));

  let handoff = null;
  let seen = "";

  function draw(x) {
    handoff = x;
    title.textContent = "会话 " + x.openid;
    statusSlot.replaceChildren(statusBadge(x.status), x.agent ? h("span", { class: "muted" }, " 客服:" + x.agent) : "");
    const c = x.collected || {};
    const fact = (k, v) => [h("dt", {}, k), h("dd", {}, v)];
    facts.replaceChildren(
      ...fact("转人工原因", x.reason || "—"),
      ...fact("订单号", c.order_id || "未提供"),
      ...fact("商品", c.order_title || "—"),
      ...fact("实付金额", c.paid_amount ? yuan(c.paid_amount) : "—"),
      ...fact("售后类型", c.type ? typeNames[c.type] || c.type : "—"),
      ...fact("退款原因", c.reason ? reasonNames[c.reason] || c.reason : "—"),
      ...fact("问题描述", c.description || "—"),
      ...fact("申请金额", c.amount ? yuan(c.amount) : "—"),
      ...fact("凭证数量", `${c.evidence_count || 0} 张`),
      ...fact("开始时间", time(x.created_at)),
    );
    const closed = x.status === "closed";
    const mine = x.status === "active" && session.me && x.agent === session.me.name;
    claimBtn.disabled = closed || mine;
    releaseBtn.disabled = closed;
    resolveBtn.disabled = closed;
    sendBtn.disabled = closed;
    replyBox.disabled = closed;
    replyBox.placeholder = closed ? "会话已结束,机器人正在服务该买家" : "";
    notes.replaceChildren(...(x.notes || []).map((n) =>
      h("li", {}, h("strong", {}, n.by), " ", h("span", { class: "muted" }, time(n.at)), ":", n.text)));
    if (!x.notes || x.notes.length === 0) notes.replaceChildren(h("li", { class: "muted" }, "暂无"));

    const lines = x.transcript || [];
    const sig = lines.length + "|" + (lines.length ? lines[lines.length - 1].at + lines[lines.length - 1].text : "");
    if (sig !== seen) {
      seen = sig;
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      log.replaceChildren(...lines.map(line));
      if (atBottom || !log.dataset.drawn) log.scrollTop = log.scrollHeight;
      log.dataset.drawn = "1";
    }
  }

  function line(l) {
    const cls = ["from-" + l.from, l.undelivered ? "undelivered" : ""].join(" ");
    return h("li", { class: cls },
      h("span", { class: "meta" }, `${fromNames[l.from] || l.from} · ${time(l.at)}`,
        l.undelivered ? h("span", { class: "flag" }, " 未送达(" + l.undelivered.replace(/^未送达:/, "") + ")") : ""),
      h("div", { class: "bubble" }, l.text));
  }

  async function load() {
    try {
      draw(await api("GET", "/handoffs/" + encodeURIComponent(id)));
      errBox.hidden = true;
    } catch (e) {
      errBox.textContent = describe(e);
      errBox.hidden = false;
    }
  }

  async function act(path, done, btn) {
    btn.disabled = true;
    try {
      await api("POST", `/handoffs/${encodeURIComponent(id)}/${path}`);
      toast(done, "ok");
      await load();
    } catch (e) {
      toast(describe(e), "error");
      btn.disabled = false;
    }
  }
  claimBtn.addEventListener("click", () => act("claim", "已认领,该会话由你处理", claimBtn));
  releaseBtn.addEventListener("click", () => act("release", "已交还机器人", releaseBtn));
  resolveBtn.addEventListener("click", () => act("resolve", "已标记为解决", resolveBtn));

  replyForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = replyBox.value.trim();
    if (!text) { replyBox.focus(); return; }
    sendBtn.disabled = true;
    replyErr.hidden = true;
    try {
      await api("POST", `/handoffs/${encodeURIComponent(id)}/reply`, { text });
      replyBox.value = "";
      count.textContent = `0 / ${MAX_REPLY}`;
      toast("已发送给买家", "ok");
      await load();
    } catch (e) {
      // 403 (48-hour window) and 429 (quota) are the buyer's situation, not a
      // glitch: say it where the agent is looking.
      replyErr.textContent = describe(e);
      replyErr.hidden = false;
      await load();
    } finally {
      sendBtn.disabled = handoff && handoff.status === "closed";
      replyBox.focus();
    }
  });

  noteForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = noteInput.value.trim();
    if (!text) return;
    try {
      draw(Object.assign(handoff || {}, await api("POST", `/handoffs/${encodeURIComponent(id)}/note`, { text })));
      noteInput.value = "";
      toast("备注已添加", "ok");
    } catch (e) {
      toast(describe(e), "error");
    }
  });

  return every(2000, load);
}

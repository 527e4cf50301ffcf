// The chat simulator: play a buyer. Every message goes through the bot's
// real webhook, as WeChat would send it; the passive reply shows at once and
// the transcript, polled every 2 seconds, brings what comes later
// (late replies, agents' replies, refund notices).

import { api, describe, every, h, time, toast } from "./lib.js";

const OPENID_KEY = "refundbot.sim.openid";
const DEMO_BUYER = "o_demo_buyer";
// The API takes 4 MiB bodies; photos above this are scaled down first.
const MAX_UPLOAD = 2.5 * 1024 * 1024;
const menu = [["REFUND", "申请退款"], ["PROGRESS", "查进度"], ["HUMAN", "转人工"]];

export function render(main) {
  const openid = h("input", { type: "text", id: "sim-openid", value: sessionStorage.getItem(OPENID_KEY) || DEMO_BUYER,
    pattern: "[A-Za-z0-9_-]{1,64}", maxlength: "64", "aria-describedby": "sim-openid-hint" });
  const log = h("ol", { class: "chat", id: "sim-chat", role: "log", "aria-live": "polite", "aria-label": "模拟聊天" });
  const text = h("input", { type: "text", id: "sim-text", maxlength: "600", autocomplete: "off" });
  const sendBtn = h("button", { type: "submit", class: "btn btn-primary", id: "sim-send" }, "发送");
  const image = h("input", { type: "file", id: "sim-image", accept: "image/jpeg,image/png" });
  const head = h("div", { class: "phone-head", id: "sim-head" });
  const form = h("form", { class: "phone-input", id: "sim-form" },
    h("label", { for: "sim-text", class: "sr-only" }, "以买家身份输入消息"),
    h("div", { class: "row" },
      h("div", { class: "grow" }, text),
      h("span", { class: "btn file-btn" }, "图片", h("label", { for: "sim-image", class: "sr-only" }, "发送图片"), image),
      sendBtn));
  const menuBar = h("div", { class: "phone-menu", role: "group", "aria-label": "公众号菜单" },
    menu.map(([key, label]) => h("button", { type: "button", dataset: { key }, onclick: () => send({ type: "event", event: "CLICK", event_key: key }, `[菜单] ${label}`) }, label)));

  main.append(
    h("h1", {}, "聊天模拟"),
    h("div", { class: "grid-sim" },
      h("section", { "aria-label": "模拟手机" },
        h("div", { class: "phone" }, head, log, form, menuBar)),
      h("aside", { class: "panel", "aria-labelledby": "sim-setup-title" },
        h("h2", { id: "sim-setup-title" }, "模拟设置"),
        h("label", { for: "sim-openid" }, "买家 openid"), openid,
        h("p", { id: "sim-openid-hint", class: "muted small" }, "o_demo_buyer 是沙箱里有订单的演示买家(订单 3712000000000000001)。"),
        h("div", { class: "row" },
          h("button", { type: "button", class: "btn", id: "sim-new-buyer" }, "新买家"),
          h("button", { type: "button", class: "btn", id: "sim-subscribe" }, "模拟关注公众号")),
        h("h3", { style: "margin-top:1rem" }, "说明"),
        h("ul", { class: "small muted" },
          h("li", {}, "消息经由机器人真实的微信回调地址发送,与买家在微信里发送完全一致。"),
          h("li", {}, "被动回复会立即显示;稍后到达的客服消息(超时回复、人工客服回复、退款通知)每 2 秒刷新。"),
          h("li", {}, "虚线框表示未送达的消息。")))));

  let lines = [];
  let pending = [];
  let seen = "";

  function draw(force) {
    const sig = openid.value + "|" + lines.length + "|" + (lines.length ? lines[lines.length - 1].at : "") + "|" + pending.length;
    if (sig === seen && !force) return;
    seen = sig;
    head.textContent = "售后小助手 · " + openid.value;
    const items = lines.map((l) => bubble(l.from, l.text, l.at, l.undelivered));
    for (const p of pending) items.push(bubble(p.from, p.text, null, "", p.img, true));
    if (items.length === 0) items.push(h("li", { class: "from-system" }, h("div", { class: "bubble" }, "还没有消息。发一句「我要退款」试试。")));
    log.replaceChildren(...items);
    log.scrollTop = log.scrollHeight;
  }

  function bubble(from, body, at, undelivered, img, isPending) {
    const who = { buyer: "我", bot: "售后小助手", agent: "人工客服", system: "系统" }[from] || from;
    return h("li", { class: `from-${from}${undelivered ? " undelivered" : ""}${isPending ? " pending" : ""}` },
      h("span", { class: "meta" }, who, at ? " · " + time(at) : "", undelivered ? h("span", { class: "flag" }, " 未送达") : ""),
      h("div", { class: "bubble" }, img ? h("img", { class: "preview", src: img, alt: "发送的图片" }) : body));
  }

  async function refresh() {
    const id = openid.value.trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return;
    const r = await api("GET", `/conversations/${encodeURIComponent(id)}/transcript?limit=100`);
    if (id !== openid.value.trim()) return; // the buyer changed meanwhile
    lines = r.transcript || [];
    draw();
  }

  // send pushes one buyer action and shows it (and the passive reply)
  // before the transcript catches up.
  async function send(msg, shown, img) {
    const id = openid.value.trim();
    if (!openid.checkValidity() || !id) {
      toast("openid 只能包含字母、数字、_ 和 -,最多 64 个字符", "error");
      openid.focus();
      return false;
    }
    pending = [{ from: "buyer", text: shown, img }];
    draw(true);
    sendBtn.disabled = true;
    try {
      const r = await api("POST", "/simulator/messages", Object.assign({ openid: id }, msg));
      const reply = r.reply || {};
      if (reply.text) pending.push({ from: "bot", text: reply.text });
      else if (reply.transfer) pending.push({ from: "system", text: "已转接微信客服" });
      draw(true);
      await refresh();
      pending = [];
      draw(true);
      return true;
    } catch (e) {
      pending = [];
      draw(true);
      toast(describe(e), "error");
      return false;
    } finally {
      sendBtn.disabled = false;
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const t = text.value.trim();
    if (!t) { text.focus(); return; }
    text.value = "";
    const ok = await send({ type: "text", text: t }, t);
    if (!ok) text.value = t;
    text.focus();
  });

  image.addEventListener("change", async () => {
    const f = image.files[0];
    image.value = "";
    if (!f) return;
    try {
      const dataURL = await fitImage(f);
      await send({ type: "image", image_base64: dataURL }, "[图片]", dataURL);
    } catch (e) {
      toast("无法读取图片:" + (e.message || e), "error");
    }
  });

  document.getElementById("sim-new-buyer").addEventListener("click", () => {
    const rnd = crypto.getRandomValues(new Uint8Array(6));
    openid.value = "o_sim_" + Array.from(rnd, (b) => b.toString(16).padStart(2, "0")).join("");
    onBuyerChange();
    toast("已切换为新买家 " + openid.value);
  });
  document.getElementById("sim-subscribe").addEventListener("click", () => send({ type: "event", event: "subscribe" }, "[关注公众号]"));

  function onBuyerChange() {
    if (!openid.checkValidity()) return;
    sessionStorage.setItem(OPENID_KEY, openid.value.trim());
    lines = [];
    pending = [];
    draw(true);
    refresh().catch((e) => toast(describe(e), "error"));
  }
  openid.addEventListener("change", onBuyerChange);

  draw(true);
  return every(2000, refresh);
}

// fitImage reads a photo as a data URL, scaling big ones down to JPEG so
// they fit the API's body limit, as WeChat itself compresses photos.
async function fitImage(file) {
  if (file.size <= MAX_UPLOAD && (file.type === "image/jpeg" || file.type === "image/png")) return readDataURL(file);
  const bmp = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bmp.width * scale);
  canvas.height = Math.round(bmp.height * scale);
  canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL("image/jpeg", 0.85);
}

function readDataURL(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

// Shared pieces of the console: the API client, a tiny DOM builder and
// formatting. No framework: the pages are small and render plain DOM.

const TOKEN_KEY = "refundbot.token";

export const session = {
  token() { return sessionStorage.getItem(TOKEN_KEY) || ""; },
  set(token) { sessionStorage.setItem(TOKEN_KEY, token); },
  clear() { sessionStorage.removeItem(TOKEN_KEY); },
  // me is {name, role} of the signed-in token, filled by the app.
  me: null,
};

// ApiError carries the HTTP status and the server's error code and message.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// onUnauthorized is called when the server refuses the token (401).
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// api calls the JSON API with the signed-in token. body may be an object
// (sent as JSON) or a Blob/string with opts.contentType.
export async function api(method, path, body, opts = {}) {
  const headers = { Authorization: "Bearer " + session.token() };
  let payload;
  if (body instanceof Blob || typeof body === "string") {
    payload = body;
    if (opts.contentType) headers["Content-Type"] = opts.contentType;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  let res;
  try {
    res = await fetch("/api/v1" + path, { method, headers, body: payload, cache: "no-store" });
  } catch (e) {
    throw new ApiError(0, "network", "无法连接服务器,请检查网络后重试");
  }
  if (res.status === 401 && !opts.noAuthRedirect) onUnauthorized();
  if (opts.raw && res.ok) return res;
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || "error", err.message || res.statusText);
  }
  return data;
}

const hasChinese = /[\u4e00-\u9fff]/;

// describe turns an API error into a sentence for the person at the screen.
// Messages the server already wrote in Chinese are shown as they are.
export function describe(err) {
  if (!(err instanceof ApiError)) return "出错了:" + String(err && err.message || err);
  const detail = err.message && !hasChinese.test(err.message) ? `(${err.status} ${err.message})` : "";
  if (err.message && hasChinese.test(err.message)) return `${err.message}(${err.status})`;
  switch (err.status) {
    case 0: return err.message;
    case 401: return "令牌无效或已失效,请重新登录" + detail;
    case 403: return "没有权限:当前账号不能执行此操作" + detail;
    case 404: return "找不到该内容,可能已被删除" + detail;
    case 409: return "内容已被他人修改或已存在,请刷新后重试" + detail;
    case 413: return "内容太大" + detail;
    case 422: return "输入有误" + detail;
    case 429: return "操作太频繁或已达上限,请稍后再试" + detail;
    case 503: return "依赖服务暂时不可用,请稍后重试" + detail;
    default: return "服务器出错" + detail;
  }
}

// h builds an element: h("button", {class: "btn", onclick: fn}, "文字").
// Text children become text nodes, so nothing from the server is parsed as HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "value") el.value = v;
    // Through CSSOM: the CSP refuses style attributes.
    else if (k === "style") el.style.cssText = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// toast shows a short message in the polite live region; errors are also
// announced assertively.
export function toast(message, kind = "") {
  const box = document.getElementById("toasts");
  const t = h("div", { class: "toast " + kind }, message);
  box.append(t);
  if (kind === "error") document.getElementById("alerts").textContent = message;
  setTimeout(() => t.remove(), kind === "error" ? 8000 : 4000);
}

// confirmDialog asks a yes/no question in the page's <dialog>.
export function confirmDialog(message, okText = "确定") {
  const dlg = document.getElementById("confirm");
  document.getElementById("confirm-text").textContent = message;
  document.getElementById("confirm-ok").textContent = okText;
  return new Promise((resolve) => {
    dlg.addEventListener("close", () => resolve(dlg.returnValue === "ok"), { once: true });
    dlg.returnValue = "";
    dlg.showModal();
  });
}

export function yuan(fen) {
  if (fen === undefined || fen === null || fen === "") return "—";
  return "¥" + (Number(fen) / 100).toFixed(2);
}

export function time(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (isNaN(d)) return "—";
  const pad = (n) => String(n).padStart(2, "0");
  const today = new Date();
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.toDateString() === today.toDateString()) return hm;
  return `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
}

// ago says how long ago a moment was, for queue waiting times.
export function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - new Date(iso)) / 1000));
  if (s < 60) return s + " 秒";
  if (s < 3600) return Math.floor(s / 60) + " 分钟";
  if (s < 86400) return Math.floor(s / 3600) + " 小时";
  return Math.floor(s / 86400) + " 天";
}

export const typeNames = { refund_only: "仅退款", return_refund: "退货退款", exchange: "换货" };
export const reasonNames = {
  quality: "质量问题", not_as_described: "与描述不符", not_received: "未收到货",
  wrong_item: "发错货", damaged: "商品破损", no_reason: "七天无理由",
  late_shipment: "发货太慢", service: "服务问题", price: "价格问题", other: "其他",
};
export const statusNames = { waiting: "等待中", active: "处理中", closed: "已结束" };
export const fromNames = { buyer: "买家", bot: "机器人", agent: "客服", system: "系统" };

export function statusBadge(status) {
  return h("span", { class: "status status-" + status }, statusNames[status] || status);
}

// every runs fn now and then every ms until the returned stop is called;
// a slow fn never overlaps itself.
export function every(ms, fn) {
  let stopped = false;
  let timer;
  const tick = async () => {
    try { await fn(); } catch (e) { /* the page shows its own errors */ }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

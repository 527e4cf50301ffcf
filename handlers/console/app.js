// The console's entry: sign-in state, the header and a hash router. Each
// page module exports render(main, params) and returns a function that
// stops its timers when the person leaves the page.

import { api, describe, h, session, setUnauthorizedHandler, toast } from "./lib.js";
import * as queue from "./queue.js";
import * as conversation from "./conversation.js";
import * as knowledge from "./knowledge.js";
import * as history from "./history.js";
import * as simulator from "./simulator.js";

// Problems the person would not see; the browser tests read this list, so
// a CSP violation or an uncaught error fails them.
window.consoleProblems = [];
window.addEventListener("error", (e) => window.consoleProblems.push("error: " + e.message));
window.addEventListener("unhandledrejection", (e) => window.consoleProblems.push("rejection: " + (e.reason && e.reason.message || e.reason)));
document.addEventListener("securitypolicyviolation", (e) => window.consoleProblems.push(`CSP ${e.violatedDirective} ${e.blockedURI}`));

const routes = [
  [/^#\/queue$/, queue, "queue", "客服队列"],
  [/^#\/handoffs\/([^/]+)$/, conversation, "queue", "会话"],
  [/^#\/knowledge$/, knowledge, "knowledge", "知识库"],
  [/^#\/history$/, history, "history", "历史版本"],
  [/^#\/simulator$/, simulator, "simulator", "聊天模拟"],
];

const roleNames = { operator: "运营", agent: "客服" };
let leave = () => {};

async function loadMe() {
  if (!session.token()) return null;
  try {
    session.me = await api("GET", "/me", undefined, { noAuthRedirect: true });
    return session.me;
  } catch (e) {
    if (e.status === 401) session.clear();
    else toast(describe(e), "error");
    return null;
  }
}

function showChrome(signedIn) {
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("who").hidden = !signedIn;
  if (signedIn && session.me) {
    document.getElementById("who-name").textContent =
      `${session.me.name} · ${roleNames[session.me.role] || session.me.role}`;
  }
}

async function route() {
  leave();
  leave = () => {};
  const main = document.getElementById("main");
  main.replaceChildren();
  if (!session.token() || !session.me) {
    showChrome(false);
    renderSignIn(main);
    return;
  }
  showChrome(true);
  const hash = location.hash || "#/queue";
  for (const [re, page, nav, title] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    for (const a of document.querySelectorAll("#nav a")) {
      if (a.dataset.page === nav) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    document.title = `${title} · 退款助手控制台`;
    leave = page.render(main, m.slice(1).map(decodeURIComponent)) || (() => {});
    return;
  }
  location.hash = "#/queue";
}

function renderSignIn(main) {
  document.title = "登录 · 退款助手控制台";
  const err = h("div", { class: "error-box", id: "signin-error", role: "alert", hidden: true });
  const input = h("input", { type: "password", id: "token", name: "token", autocomplete: "current-password", required: true, "aria-describedby": "token-hint" });
  const form = h("form", { class: "panel", id: "signin-form", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "登录控制台"),
    h("p", { class: "muted" }, "运营使用管理员令牌(ADMIN_TOKEN),客服使用各自的客服令牌(AGENT_TOKENS)。"),
    h("label", { for: "token" }, "访问令牌"),
    input,
    h("p", { id: "token-hint", class: "muted small" }, "令牌只保存在本标签页中,关闭标签页即失效。"),
    err,
    h("div", { class: "row end" }, h("button", { type: "submit", class: "btn btn-primary", id: "signin-submit" }, "登录")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    session.set(input.value.trim());
    const me = await loadMe();
    if (!me) {
      session.clear();
      err.textContent = "令牌无效,请检查后重试。";
      err.hidden = false;
      input.focus();
      return;
    }
    if (!location.hash || location.hash === "#/signin") location.hash = "#/queue";
    else route();
  });
  main.append(h("section", { class: "signin" }, form));
  input.focus();
}

function signOut() {
  session.clear();
  session.me = null;
  location.hash = "#/signin";
  route();
}

setUnauthorizedHandler(() => {
  if (!session.token()) return;
  toast("登录已失效,请重新登录", "error");
  signOut();
});

document.getElementById("signout").addEventListener("click", signOut);
window.addEventListener("hashchange", () => {
  route();
  document.getElementById("main").focus({ preventScroll: true });
});

(async () => {
  await loadMe();
  route();
})();

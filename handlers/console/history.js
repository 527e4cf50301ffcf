// The knowledge base's versions, newest first, with rollback. A rollback
// is itself a new version, so nothing is ever lost.

import { api, confirmDialog, describe, h, time, toast } from "./lib.js";

const actionNames = {
  seed: "初始导入", create: "新建条目", update: "修改条目", delete: "删除条目",
  replace: "整体替换", import: "文件导入", rollback: "回滚",
};

export function render(main) {
  const body = h("div", { id: "history" });
  main.append(h("section", { "aria-labelledby": "history-title" },
    h("h1", { id: "history-title" }, "知识库历史版本"),
    h("p", { class: "muted" }, "每次修改都会生成新版本。回滚会把所选版本的内容作为一个新版本恢复。"),
    body));

  async function load() {
    try {
      const r = await api("GET", "/knowledge/history");
      const vs = r.versions || [];
      const current = vs.length ? vs[0].version : 0;
      body.replaceChildren(vs.length === 0 ? h("p", { class: "panel empty" }, "还没有版本记录。") :
        h("table", { id: "history-table" },
          h("caption", { class: "sr-only" }, "版本列表"),
          h("thead", {}, h("tr", {}, ["版本", "时间", "操作人", "操作", "说明", "条目数", "操作"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, vs.map((v) => h("tr", { dataset: { version: String(v.version) } },
            h("td", {}, "v" + v.version, v.version === current ? h("span", { class: "tag" }, "当前") : ""),
            h("td", {}, time(v.at)),
            h("td", {}, v.actor || "—"),
            h("td", {}, actionNames[v.action] || v.action),
            h("td", { class: "small" }, v.note || ""),
            h("td", { class: "num" }, String(v.count)),
            h("td", {}, v.version === current ? "" : h("button", {
              type: "button", class: "btn btn-small", "aria-label": `回滚到版本 ${v.version}`,
              onclick: () => rollback(v.version),
            }, "回滚到此版本")))))));
    } catch (e) {
      body.replaceChildren(h("div", { class: "error-box", role: "alert" }, describe(e)));
    }
  }

  async function rollback(v) {
    if (!(await confirmDialog(`把知识库恢复到版本 v${v} 的内容?`, "回滚"))) return;
    try {
      const r = await api("POST", "/knowledge/rollback", { version: v });
      toast(`已回滚,新版本 v${r.version.version}`, "ok");
      await load();
    } catch (e) {
      toast("回滚失败:" + describe(e), "error");
    }
  }

  load();
  return () => {};
}

// The knowledge editor: the FAQ entries, a search tester that shows what
// the bot would answer, import/export and the questions nobody answered.

import { api, confirmDialog, describe, h, session, toast } from "./lib.js";

const lines = (s) => s.split("\n").map((x) => x.trim()).filter(Boolean);
const commaList = (s) => s.split(/[,，]/).map((x) => x.trim()).filter(Boolean);

export function render(main) {
  let entries = [];
  let selected = null; // id of the entry in the form; null for a new one
  let version = 0;

  const readOnly = session.me && session.me.role !== "operator";
  const filter = h("input", { type: "search", id: "kb-filter", placeholder: "按问题、相似问法、标签筛选" });
  const list = h("ul", { class: "kb-list", id: "kb-list", "aria-label": "条目列表" });
  const countText = h("p", { class: "muted small", id: "kb-count" });

  // The form.
  const fId = h("input", { type: "text", id: "kb-id", required: true, pattern: "[a-z0-9][a-z0-9-]*", "aria-describedby": "kb-id-hint" });
  const fQuestion = h("input", { type: "text", id: "kb-question", required: true });
  const fSimilar = h("textarea", { id: "kb-similar", rows: "5" });
  const fAnswer = h("textarea", { id: "kb-answer", rows: "6", required: true });
  const fTags = h("input", { type: "text", id: "kb-tags" });
  const formTitle = h("h2", { id: "kb-form-title" }, "新建条目");
  const formErr = h("div", { class: "error-box", role: "alert", id: "kb-form-error", hidden: true });
  const delBtn = h("button", { type: "button", class: "btn btn-danger", id: "kb-delete" }, "删除");
  const form = h("form", { class: "panel", id: "kb-form", "aria-labelledby": "kb-form-title" },
    formTitle,
    readOnly ? h("p", { class: "notice" }, "当前是客服账号:知识库只能查看,保存、删除和导入会被服务器拒绝。") : "",
    h("label", { for: "kb-id" }, "编号", h("span", { class: "hint", id: "kb-id-hint" }, "小写字母、数字和连字符,创建后不可修改")),
    fId,
    h("label", { for: "kb-question" }, "标准问题"), fQuestion,
    h("label", { for: "kb-similar" }, "相似问法", h("span", { class: "hint" }, "每行一个")), fSimilar,
    h("label", { for: "kb-answer" }, "回答"), fAnswer,
    h("label", { for: "kb-tags" }, "标签", h("span", { class: "hint" }, "用逗号分隔")), fTags,
    formErr,
    h("div", { class: "row end" }, delBtn, h("button", { type: "submit", class: "btn btn-primary", id: "kb-save" }, "保存")));

  // The search tester.
  const q = h("input", { type: "search", id: "kb-test-q", placeholder: "输入买家可能会问的话" });
  const testOut = h("div", { id: "kb-test-result", "aria-live": "polite" });
  const testForm = h("form", { class: "panel", id: "kb-test-form", "aria-labelledby": "kb-test-title" },
    h("h2", { id: "kb-test-title" }, "检索测试"),
    h("label", { for: "kb-test-q" }, "测试问题"),
    h("div", { class: "row" }, h("div", { class: "grow" }, q), h("button", { type: "submit", class: "btn" }, "测试")),
    testOut);

  // Import / export.
  const file = h("input", { type: "file", id: "kb-import-file", accept: ".json,.yaml,.yml,.csv" });
  const io = h("section", { class: "panel", "aria-labelledby": "kb-io-title" },
    h("h2", { id: "kb-io-title" }, "导入 / 导出"),
    h("p", { class: "muted small" }, "导入会整体替换现有条目(可在历史版本中回滚)。支持 JSON、YAML、CSV。"),
    h("label", { for: "kb-import-file" }, "选择导入文件"), file,
    h("div", { class: "row", style: "margin-top:.6rem" },
      h("button", { type: "button", class: "btn", id: "kb-import" }, "导入"),
      h("button", { type: "button", class: "btn", id: "kb-export" }, "导出 JSON")));

  // Unanswered questions.
  const unanswered = h("div", { id: "kb-unanswered" });
  const unansweredBox = h("section", { class: "panel", "aria-labelledby": "kb-un-title" },
    h("h2", { id: "kb-un-title" }, "未能回答的问题"),
    h("p", { class: "muted small" }, "买家问过、知识库没有把握回答的问题,按次数排序。"),
    unanswered);

  main.append(
    h("div", { class: "row" }, h("h1", { class: "grow" }, "知识库"), h("span", { class: "muted", id: "kb-version" })),
    h("div", { class: "grid-kb" },
      h("section", { "aria-labelledby": "kb-list-title" },
        h("div", { class: "panel" },
          h("div", { class: "row" }, h("h2", { id: "kb-list-title", class: "grow" }, "条目"),
            h("button", { type: "button", class: "btn btn-small", id: "kb-new", onclick: () => edit(null) }, "+ 新建")),
          h("label", { for: "kb-filter", class: "sr-only" }, "筛选条目"), filter, countText, list),
        unansweredBox),
      h("div", {}, testForm, form, io)));

  function drawList() {
    const f = filter.value.trim().toLowerCase();
    const shown = entries.filter((e) => !f || [e.id, e.question, e.answer, ...(e.similar || []), ...(e.tags || [])]
      .some((s) => s.toLowerCase().includes(f)));
    countText.textContent = `共 ${entries.length} 条,显示 ${shown.length} 条`;
    list.replaceChildren(...shown.map((e) => h("li", {},
      h("button", { type: "button", dataset: { id: e.id }, "aria-current": String(e.id === selected), onclick: () => edit(e.id) },
        h("span", { class: "q" }, e.question),
        h("span", { class: "id" }, e.id, " "), (e.tags || []).map((t) => h("span", { class: "tag" }, t))))));
  }
  filter.addEventListener("input", drawList);

  function edit(id, question = "") {
    selected = id;
    const e = entries.find((x) => x.id === id);
    formErr.hidden = true;
    formTitle.textContent = e ? "编辑条目" : "新建条目";
    fId.value = e ? e.id : "";
    fId.readOnly = !!e;
    fQuestion.value = e ? e.question : question;
    fSimilar.value = e ? (e.similar || []).join("\n") : "";
    fAnswer.value = e ? e.answer : "";
    fTags.value = e ? (e.tags || []).join(", ") : "";
    delBtn.hidden = !e;
    drawList();
    (e ? fQuestion : fId).focus();
  }

  async function load(keep) {
    try {
      const data = await api("GET", "/knowledge");
      entries = data.entries || [];
      version = data.version;
      document.getElementById("kb-version").textContent = version ? `当前版本 v${version}` : "";
      drawList();
      if (!keep) edit(entries.length ? entries[0].id : null);
    } catch (e) {
      toast(describe(e), "error");
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    formErr.hidden = true;
    const entry = {
      id: fId.value.trim(), question: fQuestion.value.trim(), similar: lines(fSimilar.value),
      answer: fAnswer.value.trim(), tags: commaList(fTags.value),
    };
    try {
      if (selected) await api("PUT", "/knowledge/entries/" + encodeURIComponent(selected), entry);
      else await api("POST", "/knowledge/entries", entry);
      toast(selected ? "已保存" : "已创建", "ok");
      selected = entry.id;
      await load(true);
      edit(entry.id);
    } catch (e) {
      formErr.textContent = "保存失败:" + describe(e);
      formErr.hidden = false;
    }
  });

  delBtn.addEventListener("click", async () => {
    if (!selected) return;
    if (!(await confirmDialog(`确定删除条目「${fQuestion.value}」吗?可以在历史版本中回滚恢复。`, "删除"))) return;
    try {
      await api("DELETE", "/knowledge/entries/" + encodeURIComponent(selected));
      toast("已删除", "ok");
      await load(false);
    } catch (e) {
      formErr.textContent = "删除失败:" + describe(e);
      formErr.hidden = false;
    }
  });

  testForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = q.value.trim();
    if (!text) return;
    try {
      const r = await api("GET", "/knowledge/search?k=5&q=" + encodeURIComponent(text));
      const best = r.best;
      const decision = best
        ? h("p", { class: "decision", id: "kb-decision" }, `机器人会回答:${best.id}(得分 ${best.score.toFixed(2)})`)
        : h("p", { class: "decision abstain", id: "kb-decision" }, "没有足够把握:机器人不会直接回答(弃答),会记入未回答问题");
      testOut.replaceChildren(decision, r.results.length === 0 ? h("p", { class: "muted" }, "没有相关条目。") :
        h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "得分"), h("th", { scope: "col" }, "条目"))),
          h("tbody", {}, r.results.map((m) => h("tr", {},
            h("td", { class: "num" }, h("span", { class: "score-bar", style: `width:${Math.round(m.score * 60)}px` }), m.score.toFixed(2)),
            h("td", {}, h("button", { type: "button", class: "btn btn-link", onclick: () => edit(m.id) }, m.question), " ",
              h("span", { class: "muted small" }, m.id)))))));
    } catch (e) {
      testOut.replaceChildren(h("div", { class: "error-box" }, describe(e)));
    }
  });

  document.getElementById("kb-import").addEventListener("click", async () => {
    const f = file.files[0];
    if (!f) { toast("请先选择文件", "error"); file.focus(); return; }
    const ext = f.name.split(".").pop().toLowerCase();
    const format = { json: "json", yaml: "yaml", yml: "yaml", csv: "csv" }[ext];
    if (!format) { toast("只支持 .json、.yaml、.csv 文件", "error"); return; }
    if (!(await confirmDialog(`用「${f.name}」替换全部 ${entries.length} 条条目?`, "导入"))) return;
    try {
      const r = await api("POST", "/knowledge/import?format=" + format, f, { contentType: "application/octet-stream" });
      toast(`导入成功,当前版本 v${r.version.version}`, "ok");
      file.value = "";
      await load(false);
    } catch (e) {
      toast("导入失败:" + describe(e), "error");
    }
  });

  document.getElementById("kb-export").addEventListener("click", async () => {
    try {
      // The export needs the token header, so it is fetched and saved as a blob.
      const res = await api("GET", "/knowledge/export", undefined, { raw: true });
      const url = URL.createObjectURL(await res.blob());
      const a = h("a", { href: url, download: `knowledge-v${version}.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      toast("导出失败:" + describe(e), "error");
    }
  });

  async function loadUnanswered() {
    try {
      const r = await api("GET", "/knowledge/unanswered?limit=20");
      const qs = r.questions || [];
      unanswered.replaceChildren(qs.length === 0 ? h("p", { class: "muted" }, "暂无。") :
        h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "问题"), h("th", { scope: "col", class: "num" }, "次数"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "操作")))),
          h("tbody", {}, qs.map((x) => h("tr", {}, h("td", {}, x.question), h("td", { class: "num" }, String(x.count)),
            h("td", {}, h("button", { type: "button", class: "btn btn-small", onclick: () => edit(null, x.question) }, "用此问题新建")))))));
    } catch (e) {
      unanswered.replaceChildren(h("div", { class: "error-box" }, describe(e)));
    }
  }

  load(false);
  loadUnanswered();
  return () => {};
}


package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"github.com/refundbot/refundbot/internal/evaldata"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/handlers"
	"github.com/refundbot/refundbot/knowledge"
)

// kbServer serves the knowledge routes the way the real server mounts
// them, with a stand-in for the central error handler and for auth: the
// header X-Role: agent marks a support agent, who may only read.
func kbServer(t *testing.T, seed []refundbot.Entry) (*httptest.Server, *knowledge.Base) {
	t.Helper()
	kb, err := knowledge.Open(context.Background(), knowledge.Config{Defaults: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kb.Close() })

	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		status, code, msg := http.StatusInternalServerError, "internal", "Internal error."
		var re *refundbot.Error
		var he *echo.HTTPError
		switch {
		case errors.As(err, &re):
			code, msg = re.Code, re.Message
			status = map[string]int{refundbot.EINVALID: 422, refundbot.ENOTFOUND: 404, refundbot.ECONFLICT: 409}[re.Code]
			if status == 0 {
				status = http.StatusInternalServerError
			}
		case errors.As(err, &he):
			status, code, msg = he.Code, "http", http.StatusText(he.Code)
		}
		c.JSON(status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
	}
	canWrite := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().Header.Get("X-Role") == "agent" {
				return echo.NewHTTPError(http.StatusForbidden)
			}
			return next(c)
		}
	}
	actor := func(c echo.Context) string { return "op-" + c.Request().Header.Get("X-Role") }
	handlers.RegisterKnowledgeRoutes(e.Group("/api/v1"), kb, canWrite, actor)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, kb
}

type kbResponse struct {
	status int
	body   []byte
}

func (r kbResponse) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response %s is not JSON: %v", r.body, err)
	}
}

func kbDo(t *testing.T, srv *httptest.Server, method, path, contentType, body string, header ...string) kbResponse {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return kbResponse{status: resp.StatusCode, body: b}
}

func kbJSON(t *testing.T, srv *httptest.Server, method, path string, body any, header ...string) kbResponse {
	t.Helper()
	s := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		s = string(b)
	}
	return kbDo(t, srv, method, path, "application/json", s, header...)
}

type kbSearchResponse struct {
	Best *struct {
		ID    string  `json:"id"`
		Score float64 `json:"score"`
	} `json:"best"`
	Results []struct {
		ID       string  `json:"id"`
		Score    float64 `json:"score"`
		Question string  `json:"question"`
		Answer   string  `json:"answer"`
	} `json:"results"`
}

func kbSearch(t *testing.T, srv *httptest.Server, q string) kbSearchResponse {
	t.Helper()
	r := kbDo(t, srv, http.MethodGet, "/api/v1/knowledge/search?k=3&q="+url.QueryEscape(q), "", "")
	if r.status != http.StatusOK {
		t.Fatalf("search %q: %d %s", q, r.status, r.body)
	}
	var out kbSearchResponse
	r.decode(t, &out)
	return out
}

// kbEvalFile finds shared/eval/<name> above this package (the repository's
// sibling shared/ directory, here and in CI), else knowledge's testdata copy.
func kbEvalFile(t *testing.T, name string) string {
	return evaldata.Path(t, name, filepath.Join("..", "knowledge", "testdata", name))
}

// The development knowledge base goes in through PUT, and every labelled
// question through the search endpoint.
func TestKnowledgeDevSetThroughAPI(t *testing.T) {
	srv, _ := kbServer(t, nil)
	kbFile, err := os.ReadFile(kbEvalFile(t, "faq-dev.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r := kbDo(t, srv, http.MethodPut, "/api/v1/knowledge", "application/json", string(kbFile)); r.status != http.StatusOK {
		t.Fatalf("PUT dev knowledge base: %d %s", r.status, r.body)
	}

	f, err := os.Open(kbEvalFile(t, "faq-queries-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var nAns, okAns, nAbs, okAbs int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q struct {
			Text  string  `json:"text"`
			FaqID *string `json:"faq_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatal(err)
		}
		res := kbSearch(t, srv, q.Text)
		switch {
		case q.FaqID == nil:
			nAbs++
			if res.Best == nil {
				okAbs++
			} else {
				t.Logf("should abstain: %q → %s %.3f", q.Text, res.Best.ID, res.Best.Score)
			}
		default:
			nAns++
			if res.Best != nil && res.Best.ID == *q.FaqID {
				okAns++
			} else {
				t.Logf("missed: %q want %s got %+v", q.Text, *q.FaqID, res.Best)
			}
		}
	}
	answered, abstained := float64(okAns)/float64(nAns), float64(okAbs)/float64(nAbs)
	t.Logf("dev set through the API: top-1 %.3f (%d/%d), abstention %.3f (%d/%d)", answered, okAns, nAns, abstained, okAbs, nAbs)
	if answered < 0.85 || abstained < 0.80 {
		t.Errorf("top-1 %.3f (want ≥ 0.85), abstention %.3f (want ≥ 0.80)", answered, abstained)
	}
}

func TestKnowledgeSearchShape(t *testing.T) {
	srv, _ := kbServer(t, nil)
	res := kbSearch(t, srv, "退款多久能到账")
	if res.Best == nil || res.Best.ID != "refund-arrival-time" || len(res.Results) != 3 || res.Results[0].Answer == "" {
		t.Errorf("search = %+v", res)
	}
	r := kbDo(t, srv, http.MethodGet, "/api/v1/knowledge/search?q="+url.QueryEscape("今天天气怎么样"), "", "")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"best":null`) || !strings.Contains(string(r.body), `"results":[`) {
		t.Errorf("off-topic search: %d %s", r.status, r.body)
	}
	for _, path := range []string{"/api/v1/knowledge/search", "/api/v1/knowledge/search?q=x&k=abc", "/api/v1/knowledge/search?q=x&k=-1"} {
		if r := kbDo(t, srv, http.MethodGet, path, "", ""); r.status != http.StatusUnprocessableEntity {
			t.Errorf("GET %s: %d, want 422", path, r.status)
		}
	}
}

func TestKnowledgeReplaceValidation(t *testing.T) {
	srv, kb := kbServer(t, nil)
	before := kb.List()
	tests := []struct {
		name, body string
		status     int
	}{
		{"not json", `{"entries": [`, http.StatusBadRequest},
		{"no entries key", `{"items": []}`, http.StatusUnprocessableEntity},
		{"wrong type", `{"entries": "x"}`, http.StatusUnprocessableEntity},
		{"bad id", `{"entries": [{"id": "Bad_ID", "question": "q", "answer": "a"}]}`, http.StatusUnprocessableEntity},
		{"one bad among good", `{"entries": [{"id": "good", "question": "q", "answer": "a"}, {"id": "empty-question", "question": " ", "answer": "a"}]}`, http.StatusUnprocessableEntity},
		{"duplicate ids", `{"entries": [{"id": "a", "question": "q", "answer": "a"}, {"id": "a", "question": "q", "answer": "a"}]}`, http.StatusUnprocessableEntity},
		{"answer too long", `{"entries": [{"id": "a", "question": "q", "answer": "` + strings.Repeat("长", knowledge.MaxAnswerRunes+1) + `"}]}`, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		r := kbDo(t, srv, http.MethodPut, "/api/v1/knowledge", "application/json", tt.body)
		if r.status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, r.status, r.body, tt.status)
		}
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		r.decode(t, &e)
		if e.Error.Message == "" {
			t.Errorf("%s: error without message: %s", tt.name, r.body)
		}
	}
	if got := kb.List(); len(got) != len(before) || kb.Version() != 1 {
		t.Errorf("rejected PUTs changed the base: %d entries, version %d", len(got), kb.Version())
	}

	r := kbDo(t, srv, http.MethodPut, "/api/v1/knowledge", "application/json", `{"entries": [{"id": "only", "question": "问", "answer": "答"}]}`)
	var out struct {
		Version knowledge.Version `json:"version"`
		Entries []refundbot.Entry `json:"entries"`
	}
	r.decode(t, &out)
	if r.status != http.StatusOK || out.Version.Version != 2 || len(out.Entries) != 1 || out.Entries[0].Similar == nil {
		t.Errorf("good PUT: %d %s", r.status, r.body)
	}
	var list struct {
		Entries []refundbot.Entry `json:"entries"`
	}
	kbDo(t, srv, http.MethodGet, "/api/v1/knowledge", "", "").decode(t, &list)
	if len(list.Entries) != 1 || list.Entries[0].ID != "only" {
		t.Errorf("GET after PUT = %+v", list)
	}
}

func TestKnowledgeCRUD(t *testing.T) {
	srv, _ := kbServer(t, nil)
	entry := refundbot.Entry{ID: "invoice", Question: "怎么开发票？", Similar: []string{"发票抬头怎么填"}, Answer: "在订单详情申请开票。", Tags: []string{"发票"}}
	steps := []struct {
		name, method, path string
		body               any
		status             int
	}{
		{"create", http.MethodPost, "/api/v1/knowledge/entries", entry, http.StatusCreated},
		{"create again", http.MethodPost, "/api/v1/knowledge/entries", entry, http.StatusConflict},
		{"create invalid", http.MethodPost, "/api/v1/knowledge/entries", refundbot.Entry{ID: "x y"}, http.StatusUnprocessableEntity},
		{"get", http.MethodGet, "/api/v1/knowledge/entries/invoice", nil, http.StatusOK},
		{"update", http.MethodPut, "/api/v1/knowledge/entries/invoice", refundbot.Entry{Question: "如何开电子发票？", Answer: "订单详情→申请开票。"}, http.StatusOK},
		{"update missing", http.MethodPut, "/api/v1/knowledge/entries/nope", refundbot.Entry{Question: "q", Answer: "a"}, http.StatusNotFound},
		{"update rename", http.MethodPut, "/api/v1/knowledge/entries/invoice", refundbot.Entry{ID: "other", Question: "q", Answer: "a"}, http.StatusUnprocessableEntity},
		{"delete", http.MethodDelete, "/api/v1/knowledge/entries/invoice", nil, http.StatusOK},
		{"get deleted", http.MethodGet, "/api/v1/knowledge/entries/invoice", nil, http.StatusNotFound},
		{"delete again", http.MethodDelete, "/api/v1/knowledge/entries/invoice", nil, http.StatusNotFound},
	}
	for _, s := range steps {
		r := kbJSON(t, srv, s.method, s.path, s.body)
		if r.status != s.status {
			t.Errorf("%s: %d %s, want %d", s.name, r.status, r.body, s.status)
		}
		if s.name == "update" {
			var out struct {
				Entry refundbot.Entry `json:"entry"`
			}
			r.decode(t, &out)
			if out.Entry.Question != "如何开电子发票？" || out.Entry.ID != "invoice" {
				t.Errorf("update returned %+v", out.Entry)
			}
		}
	}
}

func TestKnowledgeHistoryAndRollback(t *testing.T) {
	srv, kb := kbServer(t, nil)
	n := len(kb.List())
	kbJSON(t, srv, http.MethodDelete, "/api/v1/knowledge/entries/refund-arrival-time", nil, "X-Role", "alice")
	var hist struct {
		Versions []knowledge.Version `json:"versions"`
	}
	kbDo(t, srv, http.MethodGet, "/api/v1/knowledge/history", "", "").decode(t, &hist)
	if len(hist.Versions) != 2 || hist.Versions[0].Action != "delete" || hist.Versions[0].Actor != "op-alice" || hist.Versions[0].Count != n-1 {
		t.Fatalf("history = %+v", hist.Versions)
	}
	r := kbJSON(t, srv, http.MethodPost, "/api/v1/knowledge/rollback", map[string]int{"version": 1})
	if r.status != http.StatusOK || len(kb.List()) != n {
		t.Errorf("rollback: %d %s, %d entries", r.status, r.body, len(kb.List()))
	}
	if r := kbJSON(t, srv, http.MethodPost, "/api/v1/knowledge/rollback", map[string]int{"version": 99}); r.status != http.StatusNotFound {
		t.Errorf("rollback to unknown version: %d", r.status)
	}
	if r := kbJSON(t, srv, http.MethodPost, "/api/v1/knowledge/rollback", map[string]int{}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("rollback without version: %d", r.status)
	}
}

func TestKnowledgeImportExport(t *testing.T) {
	srv, kb := kbServer(t, nil)
	csv := "id,question,similar,answer,tags\ninvoice,怎么开发票？,发票抬头|开票,在订单详情申请开票。,发票\n"
	if r := kbDo(t, srv, http.MethodPost, "/api/v1/knowledge/import", "text/csv; charset=utf-8", csv); r.status != http.StatusOK {
		t.Fatalf("import csv: %d %s", r.status, r.body)
	}
	if got := kb.List(); len(got) != 1 || len(got[0].Similar) != 2 {
		t.Errorf("after csv import: %+v", got)
	}
	yml := "entries:\n  - id: a\n    question: 问\n    answer: 答\n  - id: b\n    question: 问二\n    answer: 答二\n"
	if r := kbDo(t, srv, http.MethodPost, "/api/v1/knowledge/import?format=yaml", "", yml); r.status != http.StatusOK || len(kb.List()) != 2 {
		t.Errorf("import yaml: %d %s", r.status, r.body)
	}
	if r := kbDo(t, srv, http.MethodPost, "/api/v1/knowledge/import", "text/plain", yml); r.status != http.StatusUnprocessableEntity {
		t.Errorf("import without a format: %d", r.status)
	}
	if r := kbDo(t, srv, http.MethodPost, "/api/v1/knowledge/import?format=csv", "", "id,question,answer\nBAD,q,a\n"); r.status != http.StatusUnprocessableEntity || len(kb.List()) != 2 {
		t.Errorf("bad import: %d, %d entries", r.status, len(kb.List()))
	}

	r := kbDo(t, srv, http.MethodGet, "/api/v1/knowledge/export", "", "")
	if r.status != http.StatusOK {
		t.Fatalf("export: %d", r.status)
	}
	if r := kbDo(t, srv, http.MethodPut, "/api/v1/knowledge", "application/json", string(r.body)); r.status != http.StatusOK {
		t.Errorf("export is not a valid PUT body: %d %s", r.status, r.body)
	}
}

func TestKnowledgeUnanswered(t *testing.T) {
	srv, kb := kbServer(t, nil)
	kb.RecordUnanswered(context.Background(), "怎么开发票")
	kb.RecordUnanswered(context.Background(), "怎么开发票？")
	var out struct {
		Questions []knowledge.Unanswered `json:"questions"`
	}
	kbDo(t, srv, http.MethodGet, "/api/v1/knowledge/unanswered?limit=5", "", "").decode(t, &out)
	if len(out.Questions) != 1 || out.Questions[0].Count != 2 {
		t.Errorf("unanswered = %+v", out.Questions)
	}
}

// Support agents may read the knowledge base but not change it.
func TestKnowledgeAgentCannotWrite(t *testing.T) {
	srv, kb := kbServer(t, nil)
	agent := []string{"X-Role", "agent"}
	writes := []struct{ method, path, body string }{
		{http.MethodPut, "/api/v1/knowledge", `{"entries": []}`},
		{http.MethodPost, "/api/v1/knowledge/entries", `{"id": "a", "question": "q", "answer": "a"}`},
		{http.MethodPut, "/api/v1/knowledge/entries/refund-arrival-time", `{"question": "q", "answer": "a"}`},
		{http.MethodDelete, "/api/v1/knowledge/entries/refund-arrival-time", ``},
		{http.MethodPost, "/api/v1/knowledge/rollback", `{"version": 1}`},
		{http.MethodPost, "/api/v1/knowledge/import?format=json", `{"entries": []}`},
	}
	for _, w := range writes {
		if r := kbDo(t, srv, w.method, w.path, "application/json", w.body, agent...); r.status != http.StatusForbidden {
			t.Errorf("agent %s %s: %d, want 403", w.method, w.path, r.status)
		}
	}
	if kb.Version() != 1 {
		t.Errorf("agent writes changed the base to version %d", kb.Version())
	}
	for _, path := range []string{"/api/v1/knowledge", "/api/v1/knowledge/search?q=x", "/api/v1/knowledge/entries/refund-arrival-time", "/api/v1/knowledge/history", "/api/v1/knowledge/export", "/api/v1/knowledge/unanswered"} {
		if r := kbDo(t, srv, http.MethodGet, path, "", "", agent...); r.status != http.StatusOK {
			t.Errorf("agent GET %s: %d, want 200", path, r.status)
		}
	}
}

package knowledge_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/knowledge"
)

// fakeEmbeddings is an OpenAI-compatible /v1/embeddings server whose
// vectors follow topics: texts about return postage point one way, texts
// about arrival time another, anything else a third.
func fakeEmbeddings(t *testing.T, fail *atomic.Bool) *httptest.Server {
	t.Helper()
	topics := [][]string{
		{"运费", "邮费", "路费", "寄回来的钱"},
		{"到账", "多久", "几天"},
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/embeddings" || r.Header.Get("Authorization") != "Bearer test-key" {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		if fail.Load() {
			http.Error(w, `{"error":{"message":"down"}}`, http.StatusInternalServerError)
			return
		}
		var req struct {
			Input []string `json:"input"`
			Model string   `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "test-embed" {
			http.Error(w, `{"error":{"message":"bad body"}}`, http.StatusBadRequest)
			return
		}
		type datum struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		resp := struct {
			Object string  `json:"object"`
			Data   []datum `json:"data"`
			Model  string  `json:"model"`
		}{Object: "list", Model: req.Model}
		for i, text := range req.Input {
			v := []float32{0, 0, 1}
			for ti, words := range topics {
				for _, w := range words {
					if strings.Contains(text, w) {
						v = []float32{0, 0, 0}
						v[ti] = 1
					}
				}
			}
			resp.Data = append(resp.Data, datum{Object: "embedding", Index: i, Embedding: v})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(resp)
	}))
}

func TestOpenAIEmbedder(t *testing.T) {
	var fail atomic.Bool
	srv := fakeEmbeddings(t, &fail)
	defer srv.Close()
	e := knowledge.NewOpenAIEmbedder(srv.URL+"/v1", "test-key", "test-embed")
	vecs, err := e.Embed(context.Background(), []string{"运费谁出", "多久到账", "你好"})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	for i := range want {
		for j := range want[i] {
			if vecs[i][j] != want[i][j] {
				t.Fatalf("vectors = %v, want %v", vecs, want)
			}
		}
	}
	fail.Store(true)
	if _, err := e.Embed(context.Background(), []string{"x"}); refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE {
		t.Errorf("failing service: %v, want EUNAVAILABLE", err)
	}
}

func TestSearchBlendsEmbeddings(t *testing.T) {
	var fail atomic.Bool
	srv := fakeEmbeddings(t, &fail)
	defer srv.Close()
	ctx := context.Background()
	const q = "路费算我的还是你的" // no word in common with the entry; words and intents leave it unanswered
	lexical := openBase(t, sample)
	if res, _ := lexical.Search(ctx, q, 3); res.Best != nil {
		t.Fatalf("lexical search answered %q with %s; the test needs a question it cannot answer", q, res.Best.Entry.ID)
	}

	b, err := knowledge.Open(ctx, knowledge.Config{
		Defaults: sample,
		Embedder: knowledge.NewOpenAIEmbedder(srv.URL+"/v1", "test-key", "test-embed"),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	res, err := b.Search(ctx, q, 3)
	if err != nil {
		t.Fatal(err)
	}
	if res.Best == nil || res.Best.Entry.ID != "return-fee" {
		t.Errorf("with embeddings Best = %+v, want return-fee", res.Best)
	}
	// Entries added later are embedded too.
	if _, err := b.Create(ctx, refundbot.Entry{ID: "postage-refund", Question: "邮费能退吗？", Answer: "商家责任可退。"}, "alice"); err != nil {
		t.Fatal(err)
	}
	res, _ = b.Search(ctx, q, 5)
	found := false
	for _, m := range res.Results {
		found = found || m.Entry.ID == "postage-refund"
	}
	if !found {
		t.Errorf("new entry not among results: %+v", res.Results)
	}

	// When the service fails, search goes on lexically.
	fail.Store(true)
	res, err = b.Search(ctx, "退货运费谁出", 3)
	if err != nil || res.Best == nil || res.Best.Entry.ID != "return-fee" {
		t.Errorf("lexical fallback: %+v, %v", res.Best, err)
	}
	if res, _ := b.Search(ctx, q, 3); res.Best != nil {
		t.Errorf("without embeddings %q should abstain, got %s", q, res.Best.Entry.ID)
	}
}

package knowledge

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/refundbot/refundbot"
)

// Embedder turns texts into vectors whose cosine similarity says how close
// their meanings are. Optional: without one, search is lexical only.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Deadlines on embedding calls: a question is embedded while a buyer
// waits; entries are embedded when the base changes.
const (
	queryEmbedTimeout = 3 * time.Second
	entryEmbedTimeout = 30 * time.Second
	embedBatch        = 64
)

// OpenAIEmbedder calls an OpenAI-compatible /embeddings endpoint.
type OpenAIEmbedder struct {
	client *openai.Client
	model  string
}

// NewOpenAIEmbedder returns an embedder for baseURL (such as
// "https://api.openai.com/v1"; "" means OpenAI's), apiKey and model (such
// as "text-embedding-3-small").
func NewOpenAIEmbedder(baseURL, apiKey, model string) *OpenAIEmbedder {
	cfg := openai.DefaultConfig(apiKey)
	if baseURL != "" {
		cfg.BaseURL = baseURL
	}
	cfg.HTTPClient = &http.Client{Timeout: entryEmbedTimeout}
	return &OpenAIEmbedder{client: openai.NewClientWithConfig(cfg), model: model}
}

// Embed implements Embedder.
func (o *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	resp, err := o.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
		Input: texts,
		Model: openai.EmbeddingModel(o.model),
	})
	if err != nil {
		return nil, &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: "embedding service failed", Err: err}
	}
	if len(resp.Data) != len(texts) {
		return nil, refundbot.Errorf(refundbot.EUNAVAILABLE, "embedding service returned %d vectors for %d texts", len(resp.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(texts) {
			return nil, refundbot.Errorf(refundbot.EUNAVAILABLE, "embedding service returned index %d for %d texts", d.Index, len(texts))
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// embeddings holds the unit vectors of each entry's question and similar
// phrasings, and blends their similarity to a question into the lexical
// score.
type embeddings struct {
	embedder Embedder
	weight   float64
	floor    float64
	log      *slog.Logger

	mu   sync.RWMutex
	vecs map[string][][]float32
}

func newEmbeddings(e Embedder, weight, floor float64, log *slog.Logger) *embeddings {
	if weight <= 0 || weight > 1 {
		weight = 0.5
	}
	if floor <= 0 || floor >= 1 {
		floor = 0.3
	}
	return &embeddings{embedder: e, weight: weight, floor: floor, log: log, vecs: map[string][][]float32{}}
}

// put embeds the short fields of entries. An entry whose embedding fails
// is searched lexically only, and the failure logged: a slow embedding
// service must not stop operators from editing answers.
func (m *embeddings) put(ctx context.Context, entries []refundbot.Entry) {
	for len(entries) > 0 {
		var texts []string
		var owners []string
		n := 0
		for _, e := range entries {
			if len(texts) > 0 && len(texts)+1+len(e.Similar) > embedBatch {
				break
			}
			texts = append(texts, e.Question)
			owners = append(owners, e.ID)
			for _, s := range e.Similar {
				texts = append(texts, s)
				owners = append(owners, e.ID)
			}
			n++
		}
		batch := entries[:n]
		entries = entries[n:]

		ectx, cancel := context.WithTimeout(ctx, entryEmbedTimeout)
		vecs, err := m.embedder.Embed(ectx, texts)
		cancel()
		m.mu.Lock()
		for _, e := range batch {
			delete(m.vecs, e.ID)
		}
		if err != nil {
			m.mu.Unlock()
			m.log.Warn("knowledge: embed entries; they are searched lexically only", "entries", len(batch), "err", err)
			continue
		}
		for i, v := range vecs {
			m.vecs[owners[i]] = append(m.vecs[owners[i]], unit(v))
		}
		m.mu.Unlock()
	}
}

func (m *embeddings) remove(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.vecs, id)
}

// blend mixes the similarity of question's embedding into the lexical
// hits, and adds entries only the embedding found. When the question
// cannot be embedded the lexical hits stand as they are.
func (m *embeddings) blend(ctx context.Context, question string, hits []hit, entry func(string) (refundbot.Entry, bool)) []hit {
	ctx, cancel := context.WithTimeout(ctx, queryEmbedTimeout)
	defer cancel()
	qv, err := m.embedder.Embed(ctx, []string{question})
	if err != nil || len(qv) != 1 {
		m.log.Warn("knowledge: embed question; lexical score only", "err", err)
		return hits
	}
	q := unit(qv[0])

	m.mu.RLock()
	sem := make(map[string]float64, len(m.vecs))
	for id, vs := range m.vecs {
		best := 0.0
		for _, v := range vs {
			best = max(best, dot(q, v))
		}
		sem[id] = max(0, (best-m.floor)/(1-m.floor))
	}
	m.mu.RUnlock()

	seen := make(map[string]bool, len(hits))
	out := make([]hit, 0, len(hits))
	for _, h := range hits {
		seen[h.Entry.ID] = true
		if s, ok := sem[h.Entry.ID]; ok {
			h.Score = (1-m.weight)*h.Score + m.weight*s
			// A match in meaning is a match in content, as for an entry
			// found by meaning alone below.
			h.content = h.content || s > 0
		}
		out = append(out, h)
	}
	for id, s := range sem {
		if seen[id] || s == 0 {
			continue
		}
		e, ok := entry(id)
		if !ok {
			continue
		}
		// Found by meaning alone: it counts as content, the score decides.
		out = append(out, hit{Match: refundbot.Match{Entry: e, Score: m.weight * s}, content: true})
	}
	slices.SortStableFunc(out, func(a, b hit) int { return cmp.Compare(b.Score, a.Score) })
	return out
}

func unit(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if n == 0 {
		return out
	}
	n = math.Sqrt(n)
	for i, x := range v {
		out[i] = float32(float64(x) / n)
	}
	return out
}

func dot(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// String names the embedder's model for logs.
func (o *OpenAIEmbedder) String() string { return fmt.Sprintf("openai-embeddings(%s)", o.model) }

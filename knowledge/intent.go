package knowledge

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// The intent model reads what kind of question a text asks, whatever its
// words: one of 109 customer-service asks (intents/taxonomy.md: refund
// money and process, returns and exchanges, something wrong with the
// goods, merchant and platform, before buying, logistics, other things
// buyers ask a shop). It learns them from about seven thousand buyer
// messages and operator FAQ titles written for the taxonomy by writers
// who saw no knowledge base and no labelled question (intents/data). It
// is multinomial logistic regression over the search's own terms
// (characters, bigrams, synonym concepts), trained on first use in well
// under a second, so there are no weights to keep in step with the data.
// How the search uses it is in intentread.go.

//go:embed intents/data/*.jsonl
var intentData embed.FS

// Training. A few passes over a few thousand messages take a fraction of
// a second; the seed makes the model the same in every process.
const (
	intentEpochs = 20
	intentRate   = 2
	intentL2     = 1e-5
	intentSeed   = 20261207
)

// intentExample is one labelled line of intents/data.
type intentExample struct {
	Intent string `json:"intent"`
	Text   string `json:"text"`
	Style  string `json:"style"`
}

// intentModel is a trained classifier: per feature, one weight per intent.
type intentModel struct {
	labels  []string
	feature map[string]int32
	weights []float32 // feature*len(labels) + label
	bias    []float32
}

var defaultIntents = sync.OnceValue(func() *intentModel {
	examples, err := readIntentData(intentData)
	if err != nil {
		// The data is embedded and checked by tests; a broken build must
		// not start serving with a search that silently lost a signal.
		panic(err)
	}
	return trainIntents(examples)
})

// readIntentData reads every .jsonl file of fsys's intents/data.
func readIntentData(fsys fs.FS) ([]intentExample, error) {
	paths, err := fs.Glob(fsys, "intents/data/*.jsonl")
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	var out []intentExample
	for _, p := range paths {
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for line := 1; sc.Scan(); line++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			var ex intentExample
			if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", p, line, err)
			}
			if ex.Intent == "" || ex.Text == "" {
				return nil, fmt.Errorf("%s:%d: intent and text are required", p, line)
			}
			out = append(out, ex)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return out, nil
}

// intentFeatures are the distinct terms the search reads in text.
func intentFeatures(text string) []string {
	seen := map[string]bool{}
	var out []string
	analyze(text, func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	})
	return out
}

// trainIntents fits the model to examples by stochastic gradient descent
// on the softmax cross-entropy, features weighted 1/√n so long messages
// do not swamp short ones.
func trainIntents(examples []intentExample) *intentModel {
	m := &intentModel{feature: map[string]int32{}}
	labelOf := map[string]int{}
	type row struct {
		label int
		feats []int32
	}
	rows := make([]row, 0, len(examples))
	for _, ex := range examples {
		l, ok := labelOf[ex.Intent]
		if !ok {
			l = len(m.labels)
			labelOf[ex.Intent] = l
			m.labels = append(m.labels, ex.Intent)
		}
		var fs []int32
		for _, f := range intentFeatures(ex.Text) {
			id, ok := m.feature[f]
			if !ok {
				id = int32(len(m.feature))
				m.feature[f] = id
			}
			fs = append(fs, id)
		}
		rows = append(rows, row{l, fs})
	}
	k := len(m.labels)
	m.weights = make([]float32, len(m.feature)*k)
	m.bias = make([]float32, k)
	rng := rand.New(rand.NewPCG(intentSeed, intentSeed))
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	probs := make([]float64, k)
	// The weights returned are the mean of those after each epoch of the
	// second half: plain SGD's last step depends on the order of the last
	// few examples, and one line more or less in the data would move
	// answers back and forth.
	sum := make([]float32, len(m.weights))
	sumBias := make([]float32, k)
	averaged := 0
	for epoch := range intentEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := intentRate / (1 + float64(epoch))
		for _, i := range order {
			r := rows[i]
			if len(r.feats) == 0 {
				continue
			}
			x := 1 / math.Sqrt(float64(len(r.feats)))
			m.logits(r.feats, x, probs)
			softmax(probs)
			for l := range k {
				g := probs[l]
				if l == r.label {
					g--
				}
				if math.Abs(g) < 1e-4 {
					continue
				}
				step := float32(rate * g * x)
				m.bias[l] -= float32(rate * g * 0.1)
				for _, f := range r.feats {
					w := &m.weights[int(f)*k+l]
					*w -= step + float32(rate*intentL2)**w
				}
			}
		}
		if epoch >= intentEpochs/2 {
			averaged++
			for i, w := range m.weights {
				sum[i] += w
			}
			for i, b := range m.bias {
				sumBias[i] += b
			}
		}
	}
	for i := range m.weights {
		m.weights[i] = sum[i] / float32(averaged)
	}
	for i := range m.bias {
		m.bias[i] = sumBias[i] / float32(averaged)
	}
	return m
}

// logits writes into out the model's score of each intent for features
// feats, each of value x.
func (m *intentModel) logits(feats []int32, x float64, out []float64) {
	k := len(m.labels)
	for l := range k {
		out[l] = float64(m.bias[l])
	}
	for _, f := range feats {
		ws := m.weights[int(f)*k : int(f+1)*k]
		for l, w := range ws {
			out[l] += float64(w) * x
		}
	}
}

func softmax(xs []float64) {
	top := slices.Max(xs)
	var sum float64
	for i, x := range xs {
		xs[i] = math.Exp(x - top)
		sum += xs[i]
	}
	for i := range xs {
		xs[i] /= sum
	}
}

// distribution is the model's probability of every intent for text; nil
// when text has no feature the model knows.
func (m *intentModel) distribution(text string) []float64 {
	var feats []int32
	for _, f := range intentFeatures(text) {
		if id, ok := m.feature[f]; ok {
			feats = append(feats, id)
		}
	}
	if len(feats) == 0 || len(m.labels) == 0 {
		return nil
	}
	probs := make([]float64, len(m.labels))
	m.logits(feats, 1/math.Sqrt(float64(len(feats))), probs)
	softmax(probs)
	return probs
}

// predict returns the most likely intent of text and its probability;
// "" when text has no feature the model knows.
func (m *intentModel) predict(text string) (string, float64) {
	probs := m.distribution(text)
	if probs == nil {
		return "", 0
	}
	best := argmax(probs)
	return m.labels[best], probs[best]
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

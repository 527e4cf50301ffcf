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

// Buyers and operators often share no word for the same ask: 钱啥时候回来
// against 退款多久到账, 你家走的哪个物流 against 发什么快递. The synonym
// table joins the phrases it lists; the intent model reads what kind of
// question a text asks, from a taxonomy of 94 customer-service asks
// (intents/taxonomy.md) and a few thousand buyer messages and FAQ titles
// written for it (intents/data). Its label is a term of every phrasing and
// question it reads confidently, so a question and a phrasing that ask the
// same thing share a term whatever words they use, and a question whose
// ask no entry has carries a term no entry has, which is what abstention
// needs. It is multinomial logistic regression over the search's own
// terms (characters, bigrams, synonym concepts), trained on first use.

//go:embed intents/data/*.jsonl
var intentData embed.FS

// intentPrefix starts the intent label terms; they are buyer terms
// (buyerPrefix), so like the classifier's they never make an entry's match
// count as content.
const intentPrefix = buyerPrefix + "n:"

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
	sum := make([]float64, len(m.weights))
	sumBias := make([]float64, k)
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
				sum[i] += float64(w)
			}
			for i, b := range m.bias {
				sumBias[i] += float64(b)
			}
		}
	}
	for i := range m.weights {
		m.weights[i] = float32(sum[i] / float64(averaged))
	}
	for i := range m.bias {
		m.bias[i] = float32(sumBias[i] / float64(averaged))
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

// predict returns the most likely intent of text and its probability;
// "" when text has no feature the model knows.
func (m *intentModel) predict(text string) (string, float64) {
	var feats []int32
	for _, f := range intentFeatures(text) {
		if id, ok := m.feature[f]; ok {
			feats = append(feats, id)
		}
	}
	if len(feats) == 0 || len(m.labels) == 0 {
		return "", 0
	}
	probs := make([]float64, len(m.labels))
	m.logits(feats, 1/math.Sqrt(float64(len(feats))), probs)
	softmax(probs)
	best := 0
	for l, p := range probs {
		if p > probs[best] {
			best = l
		}
	}
	return m.labels[best], probs[best]
}

// labelProb is one intent of a sparse reading.
type labelProb struct {
	label int32
	p     float32
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

// labelTerms are the intent label terms of a distribution: its most
// likely intent, when the model is confident enough.
func (m *intentModel) labelTerms(probs []float64) []string {
	if len(probs) == 0 {
		return nil
	}
	best := 0
	for l, p := range probs {
		if p > probs[best] {
			best = l
		}
	}
	if probs[best] < intentMinConfidence {
		return nil
	}
	return []string{intentPrefix + m.labels[best]}
}

// sparseReading keeps the n most likely intents of a distribution, most
// likely first.
func sparseReading(probs []float64, n int) []labelProb {
	out := make([]labelProb, 0, n+1)
	for l, p := range probs {
		i := len(out)
		for i > 0 && float64(out[i-1].p) < p {
			i--
		}
		if i < n {
			out = slices.Insert(out, i, labelProb{int32(l), float32(p)})
			out = out[:min(len(out), n)]
		}
	}
	return out
}

// queryReading is a question's intent distribution with its norm, read
// once per search.
type queryReading struct {
	probs []float64
	norm  float64
}

func readQuery(text string) queryReading {
	probs := defaultIntents().distribution(text)
	var n float64
	for _, p := range probs {
		n += p * p
	}
	return queryReading{probs, math.Sqrt(n)}
}

// sim is the cosine of the question's distribution and a phrasing's sparse
// reading: near 1 when the two ask the same, or the same two things, and
// between when the model hesitates the same way on both (退款几天能到账
// and 商家收到退货多久退钱 are both partly the money's timing), which a
// label term cannot tell.
func (q queryReading) sim(f []labelProb) float64 {
	if q.norm == 0 || len(f) == 0 {
		return 0
	}
	var dot, fn float64
	for _, lp := range f {
		dot += q.probs[lp.label] * float64(lp.p)
		fn += float64(lp.p) * float64(lp.p)
	}
	return dot / (q.norm * math.Sqrt(fn))
}

// phrasingRead is what the models read in one phrasing of an entry: the
// classifier's concept terms and the intent label as terms, and the
// intent model's sparse reading.
type phrasingRead struct {
	terms  []string
	intent []labelProb
}

func readPhrasing(text string) phrasingRead {
	m := defaultIntents()
	probs := m.distribution(text)
	return phrasingRead{
		terms:  append(buyerTerms(text), m.labelTerms(probs)...),
		intent: sparseReading(probs, readingLabels),
	}
}

// intentWeight is an intent label's termWeight: heavier than any word,
// because the label stands for the whole ask. intentMinConfidence is the
// least probability for the label to be a term at all. readingBonus is how
// much an entry's score gains from its best phrasing's reading similarity
// to the question; readingLabels, how many intents a phrasing's reading
// keeps. All were chosen on the blind sets (testdata/blind/README.md,
// round 12).
const (
	intentWeight        = 5.0
	intentMinConfidence = 0.3
	readingBonus        = 0.09
	readingLabels       = 5
)

// askContentSim is the least reading similarity (the mean over an entry's
// phrasings) at which the entry counts as matching what the question is
// about although they share no content word: every phrasing and the
// question read as the same ask, with little doubt (S码穿不下能换M吗
// against 衣服尺码不合适可以换吗; 订单显示三件 打开只有两件 against
// 收到的货少了一件怎么办).
// Lower values let in the same questions and no more (testdata/blind/
// README.md, round 12, step 3).
const askContentSim = 0.9

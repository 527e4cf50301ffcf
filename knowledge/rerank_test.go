package knowledge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/refundbot/refundbot"
)

// labelledSet is one knowledge base with its labelled questions.
type labelledSet struct {
	name      string
	kb, query string
}

// labelledSets are the labelled sets the cut is fitted on: the
// development set, the default base's questions and the blind sets up to
// round 9. The three written for round 9's held-out measure (household,
// outdoor, acceptance) stay out of every fit (blind_test.go).
var labelledSets = []labelledSet{
	{"dev", "testdata/faq-dev.json", "testdata/faq-queries-dev.jsonl"},
	{"default", "", "testdata/default-queries.jsonl"},
	{"shopping", "testdata/blind/kb-shopping.json", "testdata/blind/queries-shopping.jsonl"},
	{"aftersales", "testdata/blind/kb-aftersales.json", "testdata/blind/queries-aftersales.jsonl"},
	{"service", "testdata/blind/kb-service.json", "testdata/blind/queries-service.jsonl"},
	{"store", "testdata/blind/kb-store.json", "testdata/blind/queries-store.jsonl"},
	{"dev-buyers", "testdata/faq-dev.json", "testdata/blind/queries-dev-buyers.jsonl"},
	{"dev-buyers2", "testdata/faq-dev.json", "testdata/blind/queries-dev-buyers2.jsonl"},
	{"fresh", "testdata/blind/kb-fresh.json", "testdata/blind/queries-fresh.jsonl"},
	{"refund2", "testdata/blind/kb-refund2.json", "testdata/blind/queries-refund2.jsonl"},
	{"snackshop", "testdata/blind/kb-snackshop.json", "testdata/blind/queries-snackshop.jsonl"},
	{"platforms", "testdata/blind/kb-platforms.json", "testdata/blind/queries-platforms.jsonl"},
	{"appliance", "testdata/blind/kb-appliance.json", "testdata/blind/queries-appliance.jsonl"},
	{"platforms4", "testdata/blind/kb-platforms4.json", "testdata/blind/queries-platforms4.jsonl"},
	{"beauty", "testdata/blind/kb-beauty.json", "testdata/blind/queries-beauty.jsonl"},
	{"owner", "testdata/blind/kb-owner.json", "testdata/blind/queries-owner.jsonl"},
	{"baby", "testdata/blind/kb-baby.json", "testdata/blind/queries-baby.jsonl"},
	{"qa", "testdata/blind/kb-qa.json", "testdata/blind/queries-qa.jsonl"},
}

// searched is one question's lexical hits and its label ("" unanswerable).
type searched struct {
	text, want string
	hits       []hit
}

type searchedSet struct {
	name string
	qs   []searched
	cut  float64 // the adaptive cut of its base, as Search uses it
	ps   []probe // its base's calibration probes
}

func loadSearched(t testing.TB) []searchedSet {
	t.Helper()
	var out []searchedSet
	for _, ls := range labelledSets {
		ix := newIndex()
		for _, e := range mustEntries(t, ls.kb) {
			ix.put(e)
		}
		f, err := os.Open(ls.query)
		if err != nil {
			t.Fatal(err)
		}
		set := searchedSet{name: ls.name, ps: ix.probes(maxProbes)}
		set.cut = cutFrom(set.ps)
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			var q struct {
				Text  string  `json:"text"`
				FaqID *string `json:"faq_id"`
			}
			if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
				t.Fatalf("%s: %v", ls.query, err)
			}
			s := searched{text: q.Text, hits: ix.search(q.Text, candidates)}
			if q.FaqID != nil {
				s.want = *q.FaqID
			}
			set.qs = append(set.qs, s)
		}
		f.Close()
		out = append(out, set)
	}
	return out
}

func mustEntries(t testing.TB, path string) []refundbot.Entry {
	t.Helper()
	if path == "" {
		es, err := DefaultEntries()
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	es, err := ParseEntries(FormatJSON, b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return es
}

// rate is a decision's answered / abstained accuracy on one set.
type rate struct{ answered, abstained float64 }

func (r rate) String() string { return fmt.Sprintf("%.3f / %.3f", r.answered, r.abstained) }

// evaluate applies decide to each question's hits (a copy) and scores it.
func evaluate(set searchedSet, decide func([]hit) *hit) rate {
	var nAns, okAns, nAbs, okAbs int
	for _, q := range set.qs {
		best := decide(append([]hit(nil), q.hits...))
		if q.want == "" {
			nAbs++
			if best == nil {
				okAbs++
			}
			continue
		}
		nAns++
		if best != nil && best.Entry.ID == q.want {
			okAns++
		}
	}
	return rate{float64(okAns) / float64(max(nAns, 1)), float64(okAbs) / float64(max(nAbs, 1))}
}

// shortfall is how far rates fall under the product's bars (0.85
// answered, 0.80 abstained), summed over sets, with a little of the rates
// themselves to break ties: what a threshold is chosen to minimise.
func shortfall(rs []rate) float64 {
	var s float64
	for _, r := range rs {
		s += max(0, 0.85-r.answered) + max(0, 0.80-r.abstained) - 0.01*(r.answered+r.abstained)
	}
	return s
}

// example is one candidate: its features, whether it is the answer, and
// how much it weighs in training.
type example struct {
	x      [nFeatures]float64
	y      float64
	weight float64
}

// examples are the window's candidates of every question of sets, each
// set weighing the same in total, whatever its number of questions.
func examples(sets []searchedSet) []example {
	var out []example
	for _, set := range sets {
		w := 100 / float64(len(set.qs))
		for _, q := range set.qs {
			for i := range min(rerankWindow, len(q.hits)) {
				y := 0.0
				if q.hits[i].Entry.ID == q.want {
					y = 1
				}
				x := features(q.hits, i)
				for j := range x {
					if trainMask[j] {
						x[j] = 0
					}
				}
				out = append(out, example{x: x, y: y, weight: w})
			}
		}
	}
	return out
}

// l2 is the ridge penalty on the standardised weights (not the bias).
var l2 = 1.0

// trainMask leaves features out of training (their weights stay 0).
var trainMask [nFeatures]bool

// train fits a logistic regression by Newton's method (iteratively
// reweighted least squares) on standardised features, which is
// deterministic and converges in a few steps, then folds the
// standardisation back into the weights.
func train(ex []example) [nFeatures]float64 {
	var mean, sd [nFeatures]float64
	var wsum float64
	for _, e := range ex {
		wsum += e.weight
		for j := 1; j < nFeatures; j++ {
			mean[j] += e.weight * e.x[j]
		}
	}
	for j := 1; j < nFeatures; j++ {
		mean[j] /= wsum
	}
	for _, e := range ex {
		for j := 1; j < nFeatures; j++ {
			d := e.x[j] - mean[j]
			sd[j] += e.weight * d * d
		}
	}
	for j := 1; j < nFeatures; j++ {
		sd[j] = math.Sqrt(sd[j] / wsum)
		if sd[j] < 1e-9 {
			sd[j] = 1 // a constant feature: its weight stays 0 under l2
		}
	}
	std := func(x [nFeatures]float64) [nFeatures]float64 {
		z := x
		for j := 1; j < nFeatures; j++ {
			z[j] = (x[j] - mean[j]) / sd[j]
		}
		return z
	}
	var w [nFeatures]float64
	for range 50 {
		var g [nFeatures]float64
		var h [nFeatures][nFeatures]float64
		for _, e := range ex {
			z := std(e.x)
			var dot float64
			for j := range nFeatures {
				dot += w[j] * z[j]
			}
			p := 1 / (1 + math.Exp(-dot))
			for j := range nFeatures {
				g[j] += e.weight * (p - e.y) * z[j]
				for k := range nFeatures {
					h[j][k] += e.weight * p * (1 - p) * z[j] * z[k]
				}
			}
		}
		for j := 1; j < nFeatures; j++ {
			g[j] += l2 * w[j]
			h[j][j] += l2
		}
		h[0][0] += 1e-9
		step := solve(h, g)
		var size float64
		for j := range nFeatures {
			w[j] -= step[j]
			size = max(size, math.Abs(step[j]))
		}
		if size < 1e-10 {
			break
		}
	}
	// w·z = w0 + Σ wj (xj - mj)/sj = (w0 - Σ wj mj/sj) + Σ (wj/sj) xj.
	out := w
	for j := 1; j < nFeatures; j++ {
		out[j] = w[j] / sd[j]
		out[0] -= w[j] * mean[j] / sd[j]
	}
	return out
}

// solve solves a·x = b by Gaussian elimination with partial pivoting.
func solve(a [nFeatures][nFeatures]float64, b [nFeatures]float64) [nFeatures]float64 {
	for c := range nFeatures {
		p := c
		for r := c + 1; r < nFeatures; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < nFeatures; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < nFeatures; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	var x [nFeatures]float64
	for r := nFeatures - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < nFeatures; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x
}

// fitModel trains on sets and picks the probability threshold that
// minimises their shortfall.
func fitModel(sets []searchedSet) rerankModel {
	m := rerankModel{weights: train(examples(sets))}
	m.threshold = bestThreshold(sets, 0.05, 0.95, 0.01, func(t float64) func([]hit) *hit {
		mt := m
		mt.threshold = t
		return mt.rerank
	})
	return m
}

// bestThreshold returns the threshold in [from, to] by step whose
// decisions minimise the shortfall on sets, the lowest of equals.
func bestThreshold(sets []searchedSet, from, to, step float64, decide func(float64) func([]hit) *hit) float64 {
	best, bestS := from, math.Inf(1)
	for i := 0; from+float64(i)*step <= to+1e-9; i++ {
		t := math.Round((from+float64(i)*step)*1000) / 1000
		var rs []rate
		for _, s := range sets {
			rs = append(rs, evaluate(s, decide(t)))
		}
		if sf := shortfall(rs); sf < bestS-1e-12 {
			best, bestS = t, sf
		}
	}
	return best
}

func thresholdDecision(t float64) func([]hit) *hit {
	return func(hs []hit) *hit { return thresholdBest(hs, t) }
}

// leaveOneOut holds out each set in turn, fits on the others and scores
// the held-out set with (a) the shipped threshold, (b) a threshold chosen
// on the others the same way and (c) the reranker fitted on the others.
type looRow struct {
	name                        string
	fixed, looThreshold, rerank rate
	threshold, probThreshold    float64
}

func leaveOneOut(sets []searchedSet) []looRow {
	var rows []looRow
	for i, held := range sets {
		var rest []searchedSet
		rest = append(rest, sets[:i]...)
		rest = append(rest, sets[i+1:]...)
		th := bestThreshold(rest, 0.08, 0.30, 0.005, thresholdDecision)
		m := fitModel(rest)
		rows = append(rows, looRow{
			name:          held.name,
			fixed:         evaluate(held, thresholdDecision(DefaultThreshold)),
			looThreshold:  evaluate(held, thresholdDecision(th)),
			rerank:        evaluate(held, m.rerank),
			threshold:     th,
			probThreshold: m.threshold,
		})
	}
	return rows
}

// TestRerankerLeaveOneOut is the leave-one-knowledge-base-out evaluation
// of testdata/blind/README.md: it prints the table and checks the figures
// the README reports, so they cannot drift from the code. The reranker did
// not beat the threshold on the held-out store set, so it was not adopted;
// this evaluation stays to measure the next attempt against. The fixed
// threshold column is DefaultThreshold; Search now uses the adaptive cut
// (calibrate.go, TestAdaptiveLeaveOneOut).
func TestRerankerLeaveOneOut(t *testing.T) {
	sets := loadSearched(t)
	rows := leaveOneOut(sets)
	t.Logf("| set | threshold %.3f | LOO threshold | reranker (LOO) |", DefaultThreshold)
	for _, r := range rows {
		t.Logf("| %s | %v | %v (%.3f) | %v (p ≥ %.2f) |", r.name, r.fixed, r.looThreshold, r.threshold, r.rerank, r.probThreshold)
	}
	// The README's threshold figures, to three places. The rejected
	// reranker's column moves with every change to the index and to the
	// classifier whose labels it indexes, so it is printed, not pinned.
	want := map[string]string{
		"dev":         "0.935 / 1.000",
		"default":     "0.972 / 1.000",
		"shopping":    "0.983 / 0.581",
		"aftersales":  "0.966 / 0.719",
		"service":     "0.979 / 0.750",
		"store":       "0.960 / 0.920",
		"dev-buyers":  "0.873 / 0.929",
		"dev-buyers2": "0.857 / 0.929",
		"fresh":       "0.905 / 0.900",
		"refund2":     "0.867 / 0.933",
		"snackshop":   "0.877 / 0.688",
		"platforms":   "0.963 / 0.929",
		"appliance":   "0.966 / 0.917",
		"platforms4":  "0.981 / 0.727",
		"beauty":      "0.877 / 0.833",
		"owner":       "0.986 / 0.917",
		"baby":        "0.927 / 1.000",
		"qa":          "0.846 / 0.909",
	}
	for _, r := range rows {
		if w := want[r.name]; r.fixed.String() != w {
			t.Errorf("%s: threshold %v; README says %s", r.name, r.fixed, w)
		}
	}
}

// The evaluation harness reads the index directly; it must decide as
// Search does, or its table says nothing about the service.
func TestRerankerHarnessMatchesSearch(t *testing.T) {
	ctx := t.Context()
	for _, set := range loadSearched(t) {
		var ls labelledSet
		for _, l := range labelledSets {
			if l.name == set.name {
				ls = l
			}
		}
		b, err := Open(ctx, Config{Defaults: mustEntries(t, ls.kb)})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range set.qs {
			res, err := b.Search(ctx, q.text, 3)
			if err != nil {
				t.Fatal(err)
			}
			h := thresholdBest(append([]hit(nil), q.hits...), set.cut)
			if (h == nil) != (res.Best == nil) || h != nil && h.Entry.ID != res.Best.Entry.ID {
				t.Errorf("%s %q: harness %v, Search %v", set.name, q.text, h, res.Best)
			}
		}
		b.Close()
	}
}

// train recovers the weights of a known logistic model from its own
// (deterministic, noise-free expected) labels, and solve solves.
func TestRerankerMaths(t *testing.T) {
	var a [nFeatures][nFeatures]float64
	var x0, b [nFeatures]float64
	for i := range nFeatures {
		x0[i] = float64(i%5) - 2
		for j := range nFeatures {
			a[i][j] = 1 / float64(i+j+1)
		}
		a[i][i] += 1
	}
	for i := range nFeatures {
		for j := range nFeatures {
			b[i] += a[i][j] * x0[j]
		}
	}
	for i, v := range solve(a, b) {
		if math.Abs(v-x0[i]) > 1e-9 {
			t.Fatalf("solve: x[%d] = %v, want %v", i, v, x0[i])
		}
	}

	// Soft labels y = σ(w·x) on a grid: the weighted log-loss is smallest
	// at w, so with a negligible ridge train must return w.
	saved := l2
	l2 = 1e-9
	defer func() { l2 = saved }()
	want := [nFeatures]float64{-1, 2, -0.5}
	var ex []example
	for i := range 21 {
		for j := range 21 {
			var x [nFeatures]float64
			x[0], x[1], x[2] = 1, float64(i)/10-1, float64(j)/5-2
			m := rerankModel{weights: want}
			ex = append(ex, example{x: x, y: m.prob(x), weight: 1})
		}
	}
	got := train(ex)
	for j := range 3 {
		if math.Abs(got[j]-want[j]) > 1e-4 {
			t.Errorf("train: weight %s = %v, want %v", featureNames[j], got[j], want[j])
		}
	}
	for j := 3; j < nFeatures; j++ {
		if got[j] != 0 {
			t.Errorf("train: constant feature %s got weight %v", featureNames[j], got[j])
		}
	}
}

// The reranker tried against the threshold. One score threshold cannot
// serve every knowledge base: where entries share topics and differ in
// their ask (after-sales: 运费险在哪里买 against the freight insurance
// claim entry) a wrong entry scores as high as a right one elsewhere. The
// reranker reads the parts of each leading candidate's score (scoreParts),
// how it stands against the others (rank, gap to the next, share of the
// best) and what the question is like (length, share no entry knows); a
// logistic regression trained on the labelled sets turns them into the
// probability that the candidate is the answer, and the most probable
// answers when that reaches a threshold chosen on the training sets.
// Held out one knowledge base at a time it ranked as well as the lexical
// score and abstained better on default and shopping, but lost the store
// set's answers (0.707 to 0.560) and service's abstention (0.800 to
// 0.650): a probability threshold learnt on other bases is as misplaced
// on a new base as a score threshold (testdata/blind/README.md). So it
// lives here, as the measure for the next attempt, not in Search.

// rerankWindow is how many of the lexical leaders the reranker chooses
// among; the right entry is nearly always among them.
const rerankWindow = 5

// nFeatures is the length of a feature vector, the bias included.
const nFeatures = 17

// featureNames name the features, in order, for the generated model and
// its tests.
var featureNames = [nFeatures]string{
	"bias", "score", "full", "field", "query_cov", "field_cov", "fit", "cov",
	"concepts", "content", "first", "rank", "gap_next", "rel_best", "unknown",
	"log_runes", "answer_only",
}

// features describes candidate i of hits (sorted by lexical score).
func features(hits []hit, i int) [nFeatures]float64 {
	h := hits[i]
	p := h.parts
	s := h.Score
	next := 0.0
	if i+1 < len(hits) {
		next = hits[i+1].Score
	}
	top := hits[0].Score
	rel := 0.0
	if top > 0 {
		rel = s / top
	}
	b := func(c bool) float64 {
		if c {
			return 1
		}
		return 0
	}
	return [nFeatures]float64{
		1, s, p.full, p.field, p.queryCov, p.fieldCov, p.fit, p.cov,
		p.concepts, b(h.content), b(i == 0), float64(min(i, rerankWindow-1)) / float64(rerankWindow-1),
		s - next, rel, p.unknown,
		math.Log1p(float64(p.queryRunes)), b(p.field == 0),
	}
}

// rerankModel is a logistic regression over features.
type rerankModel struct {
	weights   [nFeatures]float64
	threshold float64 // least probability that answers
}

func (m *rerankModel) prob(x [nFeatures]float64) float64 {
	var z float64
	for j, w := range m.weights {
		z += w * x[j]
	}
	return 1 / (1 + math.Exp(-z))
}

// rerank rescores the leading candidates of hits (sorted by lexical
// score) with their probability of being the answer, reorders them by it,
// and returns the best if it answers. Hits past the window keep their
// order after it, with their scores capped at the window's lowest so the
// list stays sorted by score. hits is reordered in place.
func (m *rerankModel) rerank(hits []hit) *hit {
	if len(hits) == 0 {
		return nil
	}
	n := min(rerankWindow, len(hits))
	probs := make([]float64, n)
	for i := range n {
		probs[i] = m.prob(features(hits, i))
	}
	low := 1.0
	for i := range n {
		hits[i].Score = probs[i]
		low = min(low, probs[i])
	}
	// Stable, then by id, so equal probabilities keep the lexical order.
	window := hits[:n]
	slices.SortStableFunc(window, func(a, b hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Entry.ID, b.Entry.ID)
	})
	for i := n; i < len(hits); i++ {
		hits[i].Score = min(hits[i].Score, low)
	}
	if hits[0].content && hits[0].Score >= m.threshold {
		return &hits[0]
	}
	return nil
}

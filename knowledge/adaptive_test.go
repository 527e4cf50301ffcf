package knowledge

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
)

// cutRule is the adaptive cut's form with its numbers free:
// clamp(intercept + slope·quantile(other, q), low, high) for a question
// of up to runes characters, times (runes/n)^power for a longer one.
type cutRule struct{ q, slope, intercept, low, high, runes, power float64 }

func (r cutRule) cut(ps []probe) float64 {
	if len(ps) < minProbes {
		return DefaultThreshold
	}
	other := make([]float64, len(ps))
	for i, p := range ps {
		other[i] = p.other
	}
	return min(max(r.intercept+r.slope*quantile(other, r.q), r.low), r.high)
}

// cutRules is the grid the rule's numbers are chosen from.
func cutRules() []cutRule {
	var g []cutRule
	for _, q := range []float64{0.5, 0.6, 0.7, 0.8} {
		for c := -10; c <= 5; c += 5 {
			for s := 2; s <= 12; s += 2 {
				for _, low := range []float64{0.05, 0.10, 0.12, 0.14} {
					for _, high := range []float64{0.20, 0.22} {
						for _, power := range []float64{1.5, 2} {
							g = append(g, cutRule{q: q, slope: float64(s) / 4, intercept: float64(c) / 100, low: low, high: high, runes: cutRunes, power: power})
						}
					}
				}
			}
		}
	}
	return g
}

// decided is one question reduced to what thresholdBest reads, so the
// grid search need not copy hits.
type decided struct {
	top, second    float64
	content, right bool
	answerable     bool
	// otherAsk: Search abstains whatever the cut (the question surely
	// asks what no entry asks, intentread.go).
	otherAsk bool
	runes    int
}

type decidedSet struct {
	name       string
	qs         []decided
	ps         []probe
	nAns, nAbs int
}

func decide(sets []searchedSet) []decidedSet {
	out := make([]decidedSet, 0, len(sets))
	for _, s := range sets {
		ds := decidedSet{name: s.name, ps: s.ps}
		for _, q := range s.qs {
			d := decided{answerable: q.want != ""}
			if len(q.hits) > 0 {
				d.top, d.content, d.right = q.hits[0].Score, q.hits[0].content, q.hits[0].Entry.ID == q.want
				d.runes = q.hits[0].parts.queryRunes
				p := q.hits[0].parts
				d.otherAsk = p.unknownAsk >= unknownAskSure && p.sim < unknownAskSim
			}
			if len(q.hits) > 1 {
				d.second = q.hits[1].Score
			}
			if d.answerable {
				ds.nAns++
			} else {
				ds.nAbs++
			}
			ds.qs = append(ds.qs, d)
		}
		out = append(out, ds)
	}
	return out
}

// rateAt is thresholdBest's answered / abstained accuracy on s at base
// cut th, lowered for long questions as r says.
func (s decidedSet) rateAt(th float64, r cutRule) rate {
	var okAns, okAbs int
	for _, q := range s.qs {
		ans := !q.otherAsk && answers(q.content, q.top, q.second, lengthCut(th, q.runes, r.runes, r.power))
		switch {
		case q.answerable && ans && q.right:
			okAns++
		case !q.answerable && !ans:
			okAbs++
		}
	}
	return rate{float64(okAns) / float64(max(s.nAns, 1)), float64(okAbs) / float64(max(s.nAbs, 1))}
}

// fitRule picks the rule of the grid with the least shortfall on sets,
// the first of equals.
func fitRule(sets []decidedSet) cutRule {
	var best cutRule
	bestS := math.Inf(1)
	for _, r := range cutRules() {
		var rs []rate
		for _, s := range sets {
			rs = append(rs, s.rateAt(r.cut(s.ps), r))
		}
		if sf := shortfall(rs); sf < bestS-1e-12 {
			best, bestS = r, sf
		}
	}
	return best
}

// TestAdaptiveLeaveOneOut is the leave-one-base-out table of
// testdata/blind/README.md (rounds 5 to 9): each base is scored with the
// cut rule's numbers chosen on the others, next to the fixed
// DefaultThreshold and a fixed threshold chosen on the others. It checks
// the README's figures, and that the rule Search uses is within a little
// of the best of the grid on all the bases.
func TestAdaptiveLeaveOneOut(t *testing.T) {
	sets := loadSearched(t)
	ds := decide(sets)
	shipped := cutRule{cutQuantile, cutSlope, cutIntercept, cutLow, cutHigh, cutRunes, cutPower}
	want := map[string]string{
		"dev":         "0.935 / 1.000",
		"default":     "0.972 / 1.000",
		"shopping":    "0.974 / 0.710",
		"aftersales":  "0.958 / 0.781",
		"service":     "0.979 / 0.775",
		"store":       "0.960 / 0.920",
		"dev-buyers":  "0.855 / 0.929",
		"dev-buyers2": "0.857 / 0.929",
		"fresh":       "0.905 / 0.900",
		"refund2":     "0.867 / 0.933",
		"snackshop":   "0.877 / 0.688",
		"platforms":   "0.963 / 0.929",
		"appliance":   "0.966 / 0.917",
		"platforms4":  "0.963 / 0.909",
		"beauty":      "0.860 / 0.917",
		"owner":       "0.986 / 0.917",
		"baby":        "0.927 / 1.000",
		"qa":          "0.831 / 0.909",
	}
	t.Logf("| held-out set | threshold %.3f | threshold chosen on the others | adaptive cut, rule chosen on the others |", DefaultThreshold)
	var fixed, looFixed, adaptive []rate
	for i, held := range ds {
		var rest []decidedSet
		var restSearched []searchedSet
		for j := range ds {
			if j != i {
				rest = append(rest, ds[j])
				restSearched = append(restSearched, sets[j])
			}
		}
		th := bestThreshold(restSearched, 0.08, 0.30, 0.005, thresholdDecision)
		r := fitRule(rest)
		got := held.rateAt(r.cut(held.ps), r)
		fixed = append(fixed, held.rateAt(DefaultThreshold, shipped))
		looFixed = append(looFixed, held.rateAt(th, shipped))
		adaptive = append(adaptive, got)
		t.Logf("| %s | %v | %v (%.3f) | %v (%.3f; q %.2f, %.2f·q %+.2f, %.2f-%.2f, (%.0f/n)^%.1f) |", held.name, fixed[i], looFixed[i], th,
			got, r.cut(held.ps), r.q, r.slope, r.intercept, r.low, r.high, r.runes, r.power)
		if got.String() != want[held.name] {
			t.Errorf("%s: adaptive cut held out %v, README says %s", held.name, got, want[held.name])
		}
	}
	t.Logf("shortfall under the bars: shipped %.3f, fixed chosen on the others %.3f, adaptive %.3f",
		shortfall(fixed)+0.01*sumRates(fixed), shortfall(looFixed)+0.01*sumRates(looFixed), shortfall(adaptive)+0.01*sumRates(adaptive))

	// The shipped rule was the grid's best on these sets in round 12's
	// first step (README); after the intent readings the grid's best here
	// is 0.05 lower, but meets both bars on one set fewer among the other
	// sets, read and held out alike, so the rule stayed. It must stay
	// within a little of the grid's best as the index changes.
	all := fitRule(ds)
	var best, ours []rate
	for _, s := range ds {
		best = append(best, s.rateAt(all.cut(s.ps), all))
		ours = append(ours, s.rateAt(cutFrom(s.ps), shipped))
		t.Logf("%s: cut %.3f → %v", s.name, cutFrom(s.ps), s.rateAt(cutFrom(s.ps), shipped))
	}
	t.Logf("in-sample shortfall: shipped rule %.3f, the grid's best %+v %.3f", shortfall(ours)+0.01*sumRates(ours), all, shortfall(best)+0.01*sumRates(best))
	if sb, so := shortfall(best), shortfall(ours); so > sb+0.06 {
		t.Errorf("shipped rule's shortfall %.3f, the grid's best %+v %.3f", so, all, sb)
	}
}

// sumRates undoes shortfall's tie-break, leaving the plain shortfall.
func sumRates(rs []rate) float64 {
	var s float64
	for _, r := range rs {
		s += r.answered + r.abstained
	}
	return s
}

func TestCutFrom(t *testing.T) {
	probes := func(n int, other float64) []probe {
		ps := make([]probe, n)
		for i := range ps {
			ps[i] = probe{own: 0.5, other: other}
		}
		return ps
	}
	tests := []struct {
		name string
		ps   []probe
		want float64
	}{
		{"none", nil, DefaultThreshold},
		{"too few", probes(minProbes-1, 0.5), DefaultThreshold},
		{"wrong entries score low: the low clamp", probes(minProbes, 0.01), cutLow},
		{"wrong entries score high: the high clamp", probes(minProbes, 0.5), cutHigh},
		{"between", probes(minProbes, 0.05), cutIntercept + cutSlope*0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutFrom(tt.ps); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("cutFrom = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	tests := []struct {
		xs   []float64
		q    float64
		want float64
	}{
		{nil, 0.5, 0},
		{[]float64{3}, 0.8, 3},
		{[]float64{4, 0, 2}, 0.5, 2},
		{[]float64{0, 10}, 0.8, 8},
		{[]float64{5, 1, 3, 2, 4}, 1, 5},
	}
	for _, tt := range tests {
		if got := quantile(tt.xs, tt.q); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("quantile(%v, %v) = %v, want %v", tt.xs, tt.q, got, tt.want)
		}
	}
}

// A phrasing left out must not score as if it were there: its own entry
// then scores below 1 on its own words, and the rest of the entry stays.
func TestProbesLeaveThePhrasingOut(t *testing.T) {
	ix := newIndex()
	ix.put(refundbot.Entry{ID: "a", Question: "退款多久到账", Similar: []string{"钱什么时候退回来"}, Answer: "1-3个工作日"})
	ix.put(refundbot.Entry{ID: "b", Question: "怎么开发票", Similar: []string{"发票在哪里申请"}, Answer: "订单详情页申请"})
	full := ix.search("退款多久到账", candidates)
	if len(full) == 0 || full[0].Entry.ID != "a" {
		t.Fatalf("search: %v", full)
	}
	ps := ix.probes(maxProbes)
	if len(ps) != 4 {
		t.Fatalf("%d probes, want 4", len(ps))
	}
	// Probes run in id order: a's question first.
	if ps[0].own >= full[0].Score {
		t.Errorf("a's question left out scores %.3f, as high as with it (%.3f)", ps[0].own, full[0].Score)
	}
	if _, ok := ix.byID["a"]; !ok || len(ix.docs[ix.byID["a"]].fields) != 2 {
		t.Error("probes changed the index")
	}
}

// The cut depends on the entries, not on the order they were put in.
func TestAdaptiveThresholdDeterministic(t *testing.T) {
	es := mustEntries(t, "")
	a, b := newIndex(), newIndex()
	for _, e := range es {
		a.put(e)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, i := range rng.Perm(len(es)) {
		b.put(es[i])
	}
	if ca, cb := a.adaptiveThreshold(), b.adaptiveThreshold(); math.Abs(ca-cb) > 1e-12 {
		t.Errorf("cut %v in one order, %v in another", ca, cb)
	}
}

// Calibration is capped: a base of ten thousand entries scores at most
// maxProbes phrasings.
func TestProbesCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large base")
	}
	ix, _ := largeIndex(t)
	start := time.Now()
	ps := ix.probes(maxProbes)
	if len(ps) != maxProbes {
		t.Errorf("%d probes, want %d", len(ps), maxProbes)
	}
	// About 300 searches' time (~150 ms here), once per edit, off the
	// search path.
	t.Logf("calibrating 10k entries: %v, cut %.3f", time.Since(start), cutFrom(ps))
}

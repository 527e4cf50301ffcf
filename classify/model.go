package classify

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
)

// The statistical half of the offline classifier: multinomial naive Bayes
// over character 1-3-grams (plus whole ASCII words), one model for the
// intent and one for the reason. Rules find the facts and catch what they
// know for sure; the model reads the wording rules have no entry for, which
// is most of how buyers actually write. It is trained when first used, from
// the labelled utterances embedded below, in a few tens of milliseconds, so
// there are no weights to keep in step with the data.

//go:embed data/*.jsonl
var trainingData embed.FS

// nbAlpha is the additive smoothing of feature counts. Small values trust
// rare n-grams more; 0.3 did best in cross-validation on the corpus
// (0.1 to 1 were within a point).
const nbAlpha = 0.3

// bayes is a trained multinomial naive Bayes classifier over binary
// (present or not) n-gram features. Immutable after training, so safe for
// concurrent use.
type bayes struct {
	classes []string
	prior   []float64            // log prior per class
	logp    map[uint64][]float32 // feature -> log P(feature|class)
	unseen  []float64            // log P(unseen feature|class)
}

// example is one training utterance: its features and class.
type example struct {
	feats []uint64
	class string
}

// trainBayes fits a model to examples. Priors are flattened halfway to
// uniform (square root of the counts): the corpus holds far more refunds
// than real traffic's rarer intents would justify, and a strong prior
// would drown the evidence of a short message.
func trainBayes(examples []example) *bayes {
	idx := map[string]int{}
	var classes []string
	for _, e := range examples {
		if _, ok := idx[e.class]; !ok {
			idx[e.class] = len(classes)
			classes = append(classes, e.class)
		}
	}
	k := len(classes)
	docs := make([]float64, k)
	totals := make([]float64, k)
	counts := map[uint64][]float32{}
	for _, e := range examples {
		c := idx[e.class]
		docs[c]++
		for _, f := range e.feats {
			row := counts[f]
			if row == nil {
				row = make([]float32, k)
				counts[f] = row
			}
			row[c]++
			totals[c]++
		}
	}
	vocab := float64(len(counts))
	m := &bayes{classes: classes, prior: make([]float64, k), unseen: make([]float64, k), logp: counts}
	var priorSum float64
	for c := range k {
		priorSum += math.Sqrt(docs[c])
	}
	denom := make([]float64, k)
	for c := range k {
		m.prior[c] = math.Log(math.Sqrt(docs[c]) / priorSum)
		denom[c] = math.Log(totals[c] + nbAlpha*vocab)
		m.unseen[c] = math.Log(nbAlpha) - denom[c]
	}
	for _, row := range counts { // in place: counts become log probabilities
		for c := range row {
			row[c] = float32(math.Log(float64(row[c])+nbAlpha) - denom[c])
		}
	}
	return m
}

// predict returns the posterior of every class (same order as m.classes).
// Features the model never saw carry no evidence and are skipped.
func (m *bayes) predict(feats []uint64, post []float64) []float64 {
	post = append(post[:0], m.prior...)
	for _, f := range feats {
		row, ok := m.logp[f]
		if !ok {
			continue
		}
		for c, lp := range row {
			post[c] += float64(lp)
		}
	}
	// softmax
	mx := math.Inf(-1)
	for _, v := range post {
		mx = math.Max(mx, v)
	}
	var sum float64
	for c, v := range post {
		post[c] = math.Exp(v - mx)
		sum += post[c]
	}
	for c := range post {
		post[c] /= sum
	}
	return post
}

// best returns the most probable class and its probability.
func (m *bayes) best(post []float64) (string, float64) {
	bi := 0
	for c := range post {
		if post[c] > post[bi] {
			bi = c
		}
	}
	return m.classes[bi], post[bi]
}

// noReason is the reason model's class for "the text names none".
const noReason = "-"

// models are the intent and reason classifiers.
type models struct {
	intent *bayes
	reason *bayes
}

// loadModels trains both models once, on first use. The data is part of
// the binary, so a failure is a build defect and panics.
var loadModels = sync.OnceValue(func() *models {
	us, err := corpus()
	if err != nil {
		panic(fmt.Sprintf("classify: embedded training data: %v", err))
	}
	return trainModels(us)
})

// trainModels fits the intent model to every utterance and the reason model
// to those a reason applies to: refunds, escalations, and answers given
// while a refund is being described.
func trainModels(us []Utterance) *models {
	var intents, reasons []example
	for _, u := range us {
		f := features(modelText(normalize(u.Text)))
		intents = append(intents, example{feats: f, class: string(u.Intent)})
		if u.Intent == refundbot.IntentRefund || u.Intent == refundbot.IntentEscalate || u.State == refundbot.StateCollecting {
			r := string(u.Reason)
			if r == "" || u.Reason == refundbot.ReasonOther {
				r = noReason
			}
			reasons = append(reasons, example{feats: f, class: r})
		}
	}
	return &models{intent: trainBayes(intents), reason: trainBayes(reasons)}
}

// corpus reads every embedded utterances file, in name order.
func corpus() ([]Utterance, error) {
	names, err := fs.Glob(trainingData, "data/*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("list training data: %w", err)
	}
	sort.Strings(names)
	var us []Utterance
	for _, name := range names {
		b, err := trainingData.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		got, err := readUtterances(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		us = append(us, got...)
	}
	return us, nil
}

// readUtterances decodes an utterances JSONL file.
func readUtterances(b []byte) ([]Utterance, error) {
	var us []Utterance
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var u Utterance
		if err := json.Unmarshal(raw, &u); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if !u.Intent.Valid() || u.Reason != "" && !u.Reason.Valid() {
			return nil, fmt.Errorf("line %d: codes %q %q", line, u.Intent, u.Reason)
		}
		us = append(us, u)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	return us, nil
}

// modelText is what the model reads: the normalised text without spaces,
// every run of digits (order numbers, amounts, dates) folded to one '0' and
// every run of ASCII letters kept as a word between spaces. The model so
// learns "订单0" and "0天了", not particular numbers.
func modelText(norm string) string {
	var b strings.Builder
	b.Grow(len(norm))
	prev := rune(0)
	space := false
	for _, r := range norm {
		switch {
		case r >= '0' && r <= '9':
			if prev == '0' {
				continue
			}
			r = '0'
		case r == ' ':
			// Spaces only separate ASCII words; between Han characters
			// they are noise ("退 款").
			space = true
			continue
		}
		word, prevWord := isASCIILetterRune(r), isASCIILetterRune(prev)
		if prev != 0 && (word != prevWord || word && space) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func isASCIILetterRune(r rune) bool { return r >= 'a' && r <= 'z' || r == '\'' }

// maxFeatureRunes bounds how much of a message the model reads: a WeChat
// message worth classifying is far shorter, and the bound keeps the cost
// of a pasted essay flat.
const maxFeatureRunes = 200

// features lists the hashed n-grams of s: each character, each pair and
// triple of neighbouring characters (with '^' and '$' marking the ends, so
// a message that is only "退" differs from one containing it), and each
// ASCII word whole. Duplicates are dropped: presence, not frequency,
// carries the meaning in messages this short.
func features(s string) []uint64 {
	runes := make([]rune, 0, utf8.RuneCountInString(s)+2)
	runes = append(runes, '^')
	for _, r := range s {
		if len(runes) > maxFeatureRunes {
			break
		}
		runes = append(runes, r)
	}
	runes = append(runes, '$')
	feats := make([]uint64, 0, 3*len(runes))
	for i := range runes {
		for n := 1; n <= 3 && i+n <= len(runes); n++ {
			g := runes[i : i+n]
			if n == 1 && (g[0] == '^' || g[0] == '$' || g[0] == ' ') {
				continue
			}
			if hasSpace(g) {
				continue
			}
			feats = append(feats, hashRunes(uint64(n), g))
		}
	}
	for _, w := range strings.Fields(asciiWords(s)) {
		feats = append(feats, hashString(4, w))
	}
	slices.Sort(feats)
	return slices.Compact(feats)
}

func hasSpace(rs []rune) bool {
	for _, r := range rs {
		if r == ' ' {
			return true
		}
	}
	return false
}

// asciiWords keeps only ASCII letters, everything else becoming a space.
func asciiWords(s string) string {
	return strings.Map(func(r rune) rune {
		if isASCIILetterRune(r) {
			return r
		}
		return ' '
	}, s)
}

// FNV-1a, seeded with the n-gram kind so a word and a character never
// share a hash.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashRunes(kind uint64, rs []rune) uint64 {
	h := uint64(fnvOffset) ^ kind
	h *= fnvPrime
	for _, r := range rs {
		h ^= uint64(r)
		h *= fnvPrime
	}
	return h
}

func hashString(kind uint64, s string) uint64 {
	h := uint64(fnvOffset) ^ kind
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// modelGuess is what the models read in one message.
type modelGuess struct {
	intent  refundbot.Intent
	intentP float64
	reason  refundbot.Reason // "" for none
	reasonP float64
}

// guess runs both models on the normalised text.
func (m *models) guess(norm string) modelGuess {
	f := features(modelText(norm))
	var buf [16]float64
	post := m.intent.predict(f, buf[:0])
	it, p := m.intent.best(post)
	g := modelGuess{intent: refundbot.Intent(it), intentP: p}
	rpost := m.reason.predict(f, buf[:0])
	r, rp := m.reason.best(rpost)
	if r != noReason {
		g.reason = refundbot.Reason(r)
	}
	g.reasonP = rp
	return g
}

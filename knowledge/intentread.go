package knowledge

import (
	"math"
	"slices"
)

// Buyers and operators often share no word for the same ask: 钱啥时候回来
// against 退款多久到账, 你家走的哪个物流 against 发什么快递. The synonym
// table joins the phrases it lists; the intent model (intent.go) reads the
// ask itself, and the search uses its reading three ways:
//   - its likeliest ask, when confident, is a term of every phrasing and
//     question, so the two share a term whatever words they use, and a
//     question whose ask no entry has carries a term no entry has, which
//     is what abstention needs;
//   - each phrasing keeps its five likeliest asks, and an entry gains by
//     how alike its phrasings' readings are to the question's, which also
//     counts what the model hesitates between;
//   - an entry read as the very same ask matches what the question is
//     about even with no word in common.
// testdata/blind/README.md, round 12, measured each.

// intentPrefix starts the intent label terms. They are buyer terms
// (buyerPrefix): a shared label alone does not make a match content.
const intentPrefix = buyerPrefix + "n:"

// labelProb is one intent of a sparse reading.
type labelProb struct {
	label int32
	p     float32
}

// labelTerms are the intent label terms of a distribution: its most
// likely intent, when the model is confident enough.
func (m *intentModel) labelTerms(probs []float64) []string {
	if len(probs) == 0 {
		return nil
	}
	best := argmax(probs)
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
// much an entry's score gains from its phrasings' mean reading similarity
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

// A question the intent model is all but sure asks something no entry
// asks (平台介入的结果我不服 还能申诉吗, an appeal, on a base that says how
// long intervention takes) is not answered by an entry that shares its
// words but reads as another ask: the search abstains when the model gives the
// question's ask at least unknownAskSure and the best entry's reading
// similarity is under unknownAskSim. Less sure readings are left to the
// label term's weight: entries and buyers often split one ask between
// neighbouring intents (testdata/blind/README.md, round 12, step 4).
const (
	unknownAskSure = 0.95
	unknownAskSim  = 0.2
)

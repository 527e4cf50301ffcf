package knowledge

import (
	"math"
	"strings"
	"unicode/utf8"
)

// An entry that shares a buyer's topic but answers another ask is the
// commonest wrong answer: 优惠券怎么领 against 退款后优惠券会退回吗. Two
// checks, applied to the few candidates the index scores exactly, keep
// such entries below the threshold: the kind of ask (how, when, why, ...)
// of the question against each phrasing of the entry, and how much of
// what the question is about (its informative words) the entry's best
// phrasing covers.

// askType is a bit set of the kinds of ask a text makes.
type askType uint16

const (
	askHow     askType = 1 << iota // 怎么, 如何: how to do it
	askWhen                        // 多久, 什么时候: when, how long
	askWhere                       // 哪里, 在哪: where
	askCan                         // 能不能, 可以…吗: whether
	askWhy                         // 为什么, 怎么会: why
	askWho                         // 谁: who
	askHowMuch                     // 多少, 几块: how much, how many
	askRemedy                      // 怎么办: what to do now
	askWhat                        // 什么, 哪些: what, which
)

// askCues are the words that mark each kind of ask, matched longest first
// so 怎么办 is what-to-do, not how, and 什么时候 is when, not what.
var askCues = map[string]askType{
	"怎么办": askRemedy, "怎么处理": askRemedy, "如何处理": askRemedy, "怎么解决": askRemedy,
	"怎么": askHow, "如何": askHow, "怎样": askHow, "怎么弄": askHow, "在哪弄": askHow, "流程": askHow, "在哪里弄": askHow, "步骤": askHow, "怎么走": askHow, "怎么操作": askHow, "怎么搞": askHow, "怎么整": askHow,
	"多久": askWhen, "几天": askWhen, "什么时候": askWhen, "何时": askWhen, "几点": askWhen,
	"多长时间": askWhen, "多少天": askWhen, "几个工作日": askWhen, "几时": askWhen, "哪天": askWhen, "多长": askWhen,
	"哪里": askWhere, "去哪": askWhere, "在哪": askWhere, "哪儿": askWhere, "到哪": askWhere, "寄哪": askWhere, "退哪": askWhere, "什么地址": askWhere, "哪个地址": askWhere,
	"能不能": askCan, "可以": askCan, "能否": askCan, "是否": askCan, "可不可以": askCan, "行不行": askCan,
	"会不会": askCan, "能吗": askCan, "吗": askCan, "能退": askCan, "还能": askCan, "支持": askCan, "有没有": askCan,
	"为什么": askWhy, "怎么会": askWhy, "怎么回事": askWhy, "凭什么": askWhy, "怎么还": askWhy, "怎么没": askWhy, "怎么有": askWhy,
	"谁": askWho, "找谁": askWho,
	"多少": askHowMuch, "几块": askHowMuch, "多少钱": askHowMuch, "几期": askHowMuch, "几个": askHowMuch, "几件": askHowMuch,
	// Said, not asked: 收货好几天了 states how long, 几天 inside it asks nothing.
	"好几天": 0, "几天了": 0, "好几次": 0, "好几个": 0,
	"什么": askWhat, "哪些": askWhat, "哪个": askWhat, "哪家": askWhat,
}

var askCueMaxLen int

func init() {
	for w := range askCues {
		askCueMaxLen = max(askCueMaxLen, utf8.RuneCountInString(w))
	}
}

// askOf classifies the ask of normalised text. Whether (吗, 可以) and what
// (什么) are the loosest asks, often wrapped around a sharper one (什么
// 时候可以发货 asks when), so they count only when nothing sharper is there.
func askOf(norm string) askType {
	var t askType
	rs := []rune(norm)
	for i := 0; i < len(rs); {
		n := 1
		for l := min(askCueMaxLen, len(rs)-i); l >= 1; l-- {
			if a, ok := askCues[string(rs[i:i+l])]; ok {
				t |= a
				n = l
				break
			}
		}
		i += n
	}
	if sharp := t &^ (askCan | askWhat); sharp != 0 {
		t = sharp
	}
	return t
}

// askSpans marks, by byte offset of the text whose runes are rs at byte
// offsets offs, the ask cues of two or more characters: how a question
// asks (怎么处理, 在哪里弄), which is not what it is about, even where a
// cue's word is also a concept (处理 is review in 审核处理要多久, but not
// in 发错款了怎么处理). notWhere marks the same cues but where-asks,
// which name a place (寄哪里 is the address).
func askSpans(rs []rune, offs []int) (all, notWhere []bool) {
	n := offs[len(offs)-1]
	all, notWhere = make([]bool, n), make([]bool, n)
	for i := 0; i < len(rs); i++ {
		for l := min(askCueMaxLen, len(rs)-i); l >= 2; l-- {
			if a, ok := askCues[string(rs[i:i+l])]; ok {
				for b := offs[i]; b < offs[i+l]; b++ {
					all[b] = true
					notWhere[b] = notWhere[b] || a != askWhere
				}
				break
			}
		}
	}
	return all, notWhere
}

// askFit is how well an entry phrasing's ask answers a question's ask:
// 1 when they agree or either is not a question, less when they differ.
// How, where and what-to-do are close (buyers ask 怎么领 and 在哪领 for
// the same thing); whether and what are loose enough to sit near any ask.
func askFit(q, f askType) float64 {
	if q == 0 || f == 0 || q&f != 0 {
		return 1
	}
	const near = askHow | askWhere | askRemedy
	switch {
	case q&near != 0 && f&near != 0:
		return 1
	case (q|f)&(askCan|askWhat) != 0:
		return askLooseFit
	}
	return askMismatchFit
}

// Factors applied to an entry's score by the best ask fit over its
// phrasings. Not zero: buyers phrase loosely (要等几天 for 为什么还没到).
const (
	askLooseFit    = 0.88
	askMismatchFit = 0.85
)

// listCues mark a question that asks which ones: 哪些商品不能退,
// 什么情况下可以仅退款, 哪几种退款方式. Such an entry is answered by the
// items its answer lists, and buyers ask about one of them.
var listCues = []string{"哪些", "哪几", "什么情况", "哪种情况", "什么商品", "什么东西", "什么样的"}

// asksWhichOnes says whether question asks which ones.
func asksWhichOnes(question string) bool {
	q := Normalize(question)
	for _, c := range listCues {
		if strings.Contains(q, c) {
			return true
		}
	}
	return false
}

// contentUnit is one informative part of a question: a concept or a word
// the entry should have to answer it.
type contentUnit struct {
	terms  []string // concepts: any covers the unit; a word: its bigrams
	chars  []string // a word's characters, which cover it in part
	weight float64
}

// askConcepts are concepts that say how a buyer asks rather than what
// about; askOf handles them, so they are not content.
var askConcepts = map[string]bool{"#怎么": true, "#能否": true, "#申请": true, "#多久": true, "#几点": true}

// genericChars are characters that, alone, say nothing about what is
// asked: beyond the stop characters, the ask words' own characters.
var genericChars = map[rune]bool{}

func init() {
	for _, r := range "时候多久少几点天样如何谁些哪里儿去弄办呀吧得着过又再很太到给用该" {
		genericChars[r] = true
	}
}

// contentUnits lists the informative units of a question: each concept of
// the synonym table that is not an ask, and the words left once ask words,
// function words and generic shopping words are taken out (a lone
// character counts half, being a weaker sign of what is asked).
func contentUnits(text string) []contentUnit {
	norm := foldLatinWords(Normalize(text))
	if norm == "" {
		return nil
	}
	var units []contentUnit
	used := make([]bool, len(norm))
	rs := []rune(norm)
	offs := runeOffsets(norm)
	// A where-ask names a place (寄哪里 is the address), so its words stay
	// content; other asks' words only say how the question asks.
	inAsk, asksOnly := askSpans(rs, offs)
	lastFrom, lastTo := -1, -1
	concepts(norm, func(term string, from, to int) {
		for i := from; i < to; i++ {
			used[i] = true
		}
		if askConcepts[term] || stopConcepts[term] || (asksOnly[from] && asksOnly[to-1]) {
			return
		}
		// A phrase naming several concepts is one unit: any of them
		// covers it.
		if from == lastFrom && to == lastTo {
			k := len(units) - 1
			units[k].terms = append(units[k].terms, term)
			return
		}
		lastFrom, lastTo = from, to
		units = append(units, contentUnit{terms: []string{term}, weight: 1})
	})
	// Ask cues are not content either, nor names of goods (goods.go).
	goods := goodsSpans(norm, used)
	for i, in := range inAsk {
		used[i] = used[i] || in || (goods != nil && goods[i])
	}
	var run []rune
	flush := func() {
		switch {
		case len(run) == 1:
			units = append(units, contentUnit{terms: []string{string(run)}, weight: 0.5})
		case len(run) > 1:
			u := contentUnit{weight: 1}
			for j := range run {
				u.chars = append(u.chars, string(run[j]))
				if j+1 < len(run) {
					u.terms = append(u.terms, string(run[j:j+2]))
				}
			}
			units = append(units, u)
		}
		run = run[:0]
	}
	for i, r := range rs {
		b := offs[i]
		if used[b] || !isHan(r) {
			flush()
			if !used[b] && r != ' ' && !isHan(r) {
				// A latin word or number: kept whole, numbers dropped.
				end := i
				for end < len(rs) && rs[end] != ' ' && !isHan(rs[end]) {
					end++
				}
				if i == 0 || rs[i-1] == ' ' || isHan(rs[i-1]) {
					if w := string(rs[i:end]); !isDigits(w) {
						units = append(units, contentUnit{terms: []string{w}, weight: 1})
					}
				}
			}
			continue
		}
		if stopChars[r] || genericChars[r] || numeralChars[r] {
			flush()
			continue
		}
		if i+1 < len(rs) && !used[offs[i+1]] && stopBigrams[string(rs[i:i+2])] {
			flush()
			used[offs[i+1]] = true
			continue
		}
		run = append(run, r)
	}
	flush()
	return units
}

// coverageFit turns the share of a question's informative weight an entry
// covers into a factor on its score: 1 from coverageFull up, falling
// quadratically to coverageFloor when nothing is covered, so missing one
// small word costs little and missing what the question is about a lot.
func coverageFit(cov float64) float64 {
	if cov >= coverageFull {
		return 1
	}
	return coverageFloor + (1-coverageFloor)*math.Pow(cov/coverageFull, coverageExp)
}

const (
	coverageFull  = 0.9
	coverageFloor = 0.25
	coverageExp   = 2.0
	// unitPartCover is the least cover of a unit the phrasing has one
	// of the concepts of.
	unitPartCover = 0.5
	// wordCharCover is how much a word counts as covered when the
	// phrasing has its characters but not its bigrams.
	wordCharCover = 0.6
	// unknownUnitShare is the weight, as a share of the rarest, of a
	// unit no entry has. Lower shares (treating such words as context:
	// 寄到广州, 手链) were tried and cost more abstention on other asks
	// (优惠券怎么领) than they gained in answers, so it stays the rarest.
	unknownUnitShare = 1.0
	// answerCover is how much a unit found only elsewhere in the entry
	// (another phrasing, the answer) counts towards a phrasing's cover.
	answerCover = 0.5
)

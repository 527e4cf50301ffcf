package knowledge

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// Buyers name what they bought (衣柜, 玻璃台面, 芒果, 面霜) when they ask
// something that does not depend on it: 退个衣柜运费谁出 asks what
// 大件退货运费谁出 asks. A base rarely has a new shop's goods, and a word
// no entry has weighs as the rarest, so the name of the goods sank right
// answers under the cut. Names of goods are context: their bigrams, and
// the bigrams joining them to the next word, weigh as little as function
// words, and they are not content the entry must cover. What a question
// is about (发票, 积分, 运费险) is not a good, so an unrelated question
// still weighs as much as before.
//
// goods.txt holds 1,135 names of physical goods, their parts, materials
// and foods, one a line, written for this package from general knowledge
// with every service, problem, size, colour, payment and platform word
// left out (testdata/blind/README.md, round 10). Operators' goods need
// not be listed: a name missing from it only weighs as it did before.

//go:embed goods.txt
var goodsText string

// goodsNames is the set of names of goods, normalised; goodsMaxLen is the
// longest, in characters.
var (
	goodsNames  = map[string]bool{}
	goodsMaxLen int
)

func init() {
	for _, w := range strings.Fields(goodsText) {
		w = Normalize(w)
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		goodsNames[w] = true
		goodsMaxLen = max(goodsMaxLen, utf8.RuneCountInString(w))
	}
}

// contextPrefix marks a bigram of a goods name, or one joining a goods
// name to its neighbour: the same characters elsewhere (连接 in 蓝牙连接不上)
// keep their own term and weight.
const contextPrefix = "~"

// contextWeight is a goods bigram's termWeight, that of a function word's.
const contextWeight = 0.15

// goodsSpans marks, by byte offset of norm, the characters of names of
// goods, longest first from left to right, except where a phrase of the
// synonym table (in, by byte offset, may be nil) overlaps one: the table
// gives such words (充电器, 螺丝 as accessories) their meaning.
func goodsSpans(norm string, in []bool) []bool {
	var out []bool
	offs := runeOffsets(norm)
	n := len(offs) - 1
	for i := 0; i < n; {
		l := min(goodsMaxLen, n-i)
		for ; l >= 2; l-- {
			if goodsNames[norm[offs[i]:offs[i+l]]] {
				break
			}
		}
		if l < 2 {
			i++
			continue
		}
		from, to := offs[i], offs[i+l]
		overlaps := false
		for b := from; b < to && in != nil; b++ {
			overlaps = overlaps || in[b]
		}
		if !overlaps {
			if out == nil {
				out = make([]bool, len(norm))
			}
			for b := from; b < to; b++ {
				out[b] = true
			}
		}
		i += l
	}
	return out
}

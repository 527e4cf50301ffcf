package knowledge

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"退款多久到账？", "退款多久到账"},
		{"７天无理由！！", "7天无理由"},
		{"ＤＹ买的", "dy买的"},
		{"  钱呢😡😡 快点。。。", "钱呢 快点"},
		{"Order#123,退款", "order 123 退款"},
		{"\u3000全角空格\u3000", "全角空格"},
		{"用啥快递？咋退", "用什么快递 怎么退"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The synonym table is matched against normalised text, so a phrase
// written otherwise (啥时候, which Normalize writes 什么时候) could never
// match, and two phrases of a group that normalise alike count twice.
func TestSynonymPhrasesNormalised(t *testing.T) {
	for group, phrases := range synonymGroups {
		seen := map[string]bool{}
		for _, p := range phrases {
			if n := Normalize(p); n != p {
				t.Errorf("group %s: phrase %q is written %q once normalised", group, p, n)
			}
			if seen[p] {
				t.Errorf("group %s: phrase %q twice", group, p)
			}
			seen[p] = true
		}
	}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		in       string
		want     []string // must be among the terms
		wantNone []string // must not be
	}{
		{"邮费谁出", []string{"邮", "邮费", "费谁", "#运费"}, nil},
		{"xhs上买的", []string{"xhs", "#小红书", "上买"}, []string{"hs上"}},
		{"study英语", []string{"study"}, []string{"#抖音"}}, // "dy" inside a word is not Douyin
		{"收货好几天了", []string{"#很久"}, []string{"#多久"}},    // a phrase inside a longer one is not read
		{"退款多久能到账", []string{"#到账", "#多久", "#退款"}, nil}, // 能到 overlaps 到账 without hiding it
		{"钱还没到账", []string{"#到账"}, []string{"#未收货"}},    // 没到 lies inside 钱还没到
		{"七天无理由", []string{"#无理由"}, nil},
		{"退款 退款", []string{"退款"}, []string{"款退"}}, // no bigram across a space
		{"7天", []string{"7", "天", "#七天"}, []string{"7天"}},
	}
	for _, tt := range tests {
		var got []string
		analyze(tt.in, func(s string) { got = append(got, s) })
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("analyze(%q) = %q, lacks %q", tt.in, got, w)
			}
		}
		for _, w := range tt.wantNone {
			if slices.Contains(got, w) {
				t.Errorf("analyze(%q) = %q, has %q", tt.in, got, w)
			}
		}
	}
}

func TestTermWeight(t *testing.T) {
	// Content outweighs function words; nothing is dropped entirely.
	order := []string{"的", "怎么", "退", "能退", "退款", "#运费"}
	for i := 1; i < len(order); i++ {
		if termWeight(order[i-1]) > termWeight(order[i]) {
			t.Errorf("termWeight(%q) = %v > termWeight(%q) = %v", order[i-1], termWeight(order[i-1]), order[i], termWeight(order[i]))
		}
	}
	if termWeight("的") <= 0 {
		t.Error("stop characters must still weigh something")
	}
}

// The normaliser reads whatever buyers type.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"退款多久到账？", "ＤＹ😀", "\xff\xfe", "a  b", "xhs dy", "7天无理由"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent: %q → %q → %q", s, n, Normalize(n))
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q has stray spaces", s, n)
		}
		for _, r := range n {
			if r != ' ' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Fatalf("Normalize(%q) = %q keeps %q", s, n, r)
			}
		}
		analyze(s, func(term string) {
			if term == "" || !utf8.ValidString(term) || strings.Contains(term, " ") {
				t.Fatalf("analyze(%q) emitted bad term %q", s, term)
			}
		})
	})
}

// The bigram after a negation is a term of its own: 不同意 does not share
// 同意 with 同意了.
func TestAnalyzeNegatedBigram(t *testing.T) {
	terms := func(text string) map[string]bool {
		m := map[string]bool{}
		analyze(text, func(term string) { m[term] = true })
		return m
	}
	neg, pos := terms("卖家不同意退货"), terms("商家同意了")
	if neg["同意"] || !neg[negatedPrefix+"同意"] {
		t.Errorf("卖家不同意退货: 同意 %v, negated 同意 %v; want only the negated", neg["同意"], neg[negatedPrefix+"同意"])
	}
	if !pos["同意"] || pos[negatedPrefix+"同意"] {
		t.Errorf("商家同意了: 同意 %v, negated 同意 %v; want only the plain", pos["同意"], pos[negatedPrefix+"同意"])
	}

	ix := newIndex()
	ix.put(testEntry("refused", "卖家不同意退货怎么办", "可以申请平台介入"))
	ix.put(testEntry("arrival", "同意退款后多久到账", "1-7个工作日"))
	if hits := ix.search("商家同意了多久退钱", 1); len(hits) == 0 || hits[0].Entry.ID != "arrival" {
		t.Errorf("商家同意了多久退钱 → %+v, want arrival", hits)
	}
}

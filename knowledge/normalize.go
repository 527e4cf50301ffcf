package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize folds a question into the form the index compares: full-width
// letters, digits and spaces become half-width, letters lower-case, and
// anything that is not a letter or digit (punctuation, symbols, emoji)
// becomes a single space. Common traditional Chinese characters become
// simplified, and the spoken 啥 and 咋 become the written 什么 and 怎么
// (用啥快递 is 用什么快递), so the synonym table and the entries' phrasings
// meet a buyer's 啥 without listing both; other Chinese characters are
// kept as they are.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drops leading spaces and collapses runs
	for _, r := range s {
		r = foldWidth(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if s, ok := traditional[r]; ok {
				r = s
			}
			switch r {
			case '啥':
				b.WriteString("什么")
			case '咋':
				b.WriteString("怎么")
			default:
				b.WriteRune(r)
			}
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// foldWidth maps full-width ASCII (as typed with Chinese input methods) to
// its half-width form, so "７天" and "7天" are the same text.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// runeOffsets is the byte offset of each rune of s, then len(s): rune i
// of s is s[offs[i]:offs[i+1]].
func runeOffsets(s string) []int {
	offs := make([]int, 0, len(s)+1)
	for i := range s {
		offs = append(offs, i)
	}
	return append(offs, len(s))
}

// Terms come in four kinds, told apart by their text so the index needs no
// side table: a concept from the synonym table starts with '#', a Chinese
// unigram is one Han character, a Chinese bigram is two, and anything else
// is a word of letters or digits.
const conceptPrefix = "#"

// analyze turns text into the terms the index counts: Chinese character
// unigrams and bigrams (bigrams only inside a run of Chinese characters),
// ASCII words and numbers, and one concept term for each phrase of the
// synonym table found in the text, so "邮费" and "运费" share a term while
// each keeps its own characters.
func analyze(text string, emit func(term string)) {
	analyzeSpans(text, func(t string, _ bool) { emit(t) })
}

// analyzeSpans is analyze that also tells, for each character n-gram,
// whether it lies inside a phrase of the synonym table. A question's words
// inside such a phrase are already counted by the concept: that an entry
// lacks them says nothing about whether it answers (删号 against an entry
// that says 注销账号), so the search does not hold them against it.
func analyzeSpans(text string, emit func(term string, inConcept bool)) {
	norm := foldLatinWords(Normalize(text))
	if norm == "" {
		return
	}
	var covered []bool // by byte offset of norm
	concepts(norm, func(term string, from, to int) {
		if covered == nil {
			covered = make([]bool, len(norm))
		}
		for i := from; i < to; i++ {
			covered[i] = true
		}
		emit(term, false)
	})
	inConcept := func(from, to int) bool {
		return covered != nil && covered[from] && covered[to-1]
	}
	goods := goodsSpans(norm, covered)
	// Walk runs of Han characters and runs of other letters and digits;
	// spaces end both.
	start, han := -1, false
	flush := func(end int) {
		if start >= 0 {
			analyzePiece(norm, start, end, han, goods, inConcept, emit)
		}
		start = -1
	}
	for i, r := range norm {
		if r == ' ' {
			flush(i)
			continue
		}
		h := isHan(r)
		if start >= 0 && h != han {
			flush(i)
		}
		if start < 0 {
			start, han = i, h
		}
	}
	flush(len(norm))
}

// analyzePiece emits the terms of norm[from:to], a run of Han characters
// (unigrams and bigrams) or of other letters and digits (one word).
func analyzePiece(norm string, from, to int, han bool, goods []bool, inConcept func(from, to int) bool, emit func(string, bool)) {
	if !han {
		emit(norm[from:to], inConcept(from, to))
		return
	}
	prev := -1
	for i := from; i < to; {
		_, size := utf8.DecodeRuneInString(norm[i:])
		emit(norm[i:i+size], inConcept(i, i+size))
		if prev >= 0 {
			if goods != nil && (goods[prev] || goods[i]) {
				emit(contextPrefix+norm[prev:i+size], inConcept(prev, i+size))
			} else if prev > from && negators[lastRune(norm[:prev])] {
				emit(negatedPrefix+norm[prev:i+size], inConcept(prev, i+size))
			} else {
				emit(norm[prev:i+size], inConcept(prev, i+size))
			}
		}
		prev = i
		i += size
	}
}

// Function characters and words that say little about which answer a buyer
// wants. They are not dropped, because some carry meaning in context (不 in
// 不能退, 能 in 能退吗); they weigh less instead. The verbs of wanting,
// saying and giving, and 才, 已 and 应, wrap a buyer's ask (我想让官方来处理,
// 客服说给我退, 才发现, 已经) rather than name it, as the measure words 条,
// 张 and 位 count what they name (一条消息, 输错一位) (testdata/blind/README.md,
// round 11, step 4).
var stopChars = map[rune]bool{}

func init() {
	for _, r := range "的了吗呢啊吧呀嘛哦哈么我你您他她它们是在有就都也还要会这那个一下请问怎什可以能不没么把被让和与及或对从哪为想说给才已应条张位" {
		stopChars[r] = true
	}
}

var stopBigrams = map[string]bool{}

var numeralChars = map[rune]bool{}

func init() {
	for _, r := range "一二三四五六七八九十两几半百千万" {
		numeralChars[r] = true
	}
}

func init() {
	for _, w := range strings.Fields("怎么 请问 一下 可以 什么 我们 你们 这个 那个 是不 不是 我的 你的 的话 一个 有没 没有 还是 能不 不能 可不 怎样 如何 就是 已经 现在 还能 能否 是否 吗我 哪里 在哪 哪个 什么 为什 怎样 回事") {
		stopBigrams[w] = true
	}
	// Context buyers give that says nothing about which answer they want:
	// when it happened, who, and what they bought. A base rarely has these
	// words, and counting them as the rarest would sink a question that
	// carries them under ones that do not.
	for _, w := range strings.Fields("昨天 今天 明天 前天 后天 刚才 刚刚 上周 这周 上个 月份 早上 晚上 中午 下午 上午 " +
		"东西 宝贝 商品 产品 衣服 裤子 裙子 鞋子 杯子 手机 耳机 电脑 零食 口红 朋友 老公 老婆 家里 孩子 " +
		"买的 拍的 下单 买了 拍了 一个 一件 两件 两个 请帮 帮我 麻烦 谢谢 你好 亲亲 客服 你家 他家 咱家 " +
		"盒子 箱子 外箱 里面 打开 发现 一看 结果 居然 竟然 根本 机器 外壳 咨询 问问 请教 " +
		"空调 冰箱 电视 窗帘 沙发 床垫 手链 项链 戒指 包包 " +
		"北京 上海 广州 深圳 杭州 成都 重庆 武汉 南京 天津 西安 苏州 长沙 郑州 老家") {
		stopBigrams[w] = true
	}
}

// termWeight is how much a term counts before its rarity (idf) is applied.
// Bigrams carry most of the meaning of Chinese text; unigrams give recall
// for words the bigrams miss; concepts join a buyer's word to the entry's.
func termWeight(t string) float64 {
	if strings.HasPrefix(t, intentPrefix) {
		return intentWeight
	}
	if strings.HasPrefix(t, buyerPrefix) {
		return buyerWeight
	}
	if strings.HasPrefix(t, contextPrefix) {
		return contextWeight
	}
	if strings.HasPrefix(t, negatedPrefix) {
		return termWeight(t[len(negatedPrefix):])
	}
	if strings.HasPrefix(t, conceptPrefix) {
		if stopConcepts[t] {
			return 0.15
		}
		return 1.2
	}
	r, size := utf8.DecodeRuneInString(t)
	if !isHan(r) {
		if isDigits(t) {
			return 0.3
		}
		return 1.0
	}
	if size == len(t) { // unigram
		if stopChars[r] {
			return 0.06
		}
		return unigramWeight
	}
	r2, _ := utf8.DecodeRuneInString(t[size:])
	switch {
	case stopBigrams[t] || (stopChars[r] && stopChars[r2]):
		return 0.15
	case numeralChars[r]:
		// 三天, 两件, 100元: quantities are context, and the phrases
		// where a number matters (七天无理由) are concepts.
		return 0.3
	case stopChars[r] || stopChars[r2]:
		return 0.6
	}
	return 1.0
}

// unigramWeight is a Chinese unigram's weight: enough for recall when a
// buyer's word shares one character with the entry's, little enough that
// single shared characters do not make an unrelated question look answered.
const unigramWeight = 0.2

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// A bigram right after 不, 没 or 未 says the opposite of the same bigram
// elsewhere: 卖家不同意退货 is a refusal, 商家同意了多久退钱 asks about
// the money after an agreement, and the shared 同意 made the refusal
// entry look like it covered the question. Such a bigram is a term of
// its own, so it matches only another negated one (testdata/blind/
// README.md, round 10). The synonym table's phrases (没收到货, 不同意 as
// a refusal) give the negated meaning its concept either way.
const negatedPrefix = "!"

var negators = map[rune]bool{'不': true, '没': true, '未': true}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

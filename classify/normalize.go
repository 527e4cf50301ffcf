package classify

import (
	"strings"
	"unicode"
)

// normalize folds what buyers type into one form the lexicons are written
// in: full-width ASCII to half-width, Chinese punctuation to ASCII, ASCII
// letters to lower case, zero-width characters dropped and runs of
// whitespace collapsed to one space. Keeping one space (rather than none)
// lets the extractors see digit groups such as "3712 3456 ...".
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = foldRune(r)
		switch {
		case r == 0:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldRune maps one rune to its normal form; 0 means drop it.
func foldRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII block
		r -= 0xFEE0
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r == 0x3000:
		return ' '
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF:
		return 0
	}
	switch r {
	case '，', '、':
		return ','
	case '。':
		return '.'
	case '：':
		return ':'
	case '；':
		return ';'
	case '“', '”', '「', '」', '『', '』':
		return '"'
	case '【', '〔':
		return '['
	case '】', '〕':
		return ']'
	case '～':
		return '~'
	case '￥':
		return '¥'
	case '—', '–', '－':
		return '-'
	}
	return r
}

// compact removes spaces so that "退 款" still reads as "退款".
func compact(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	return strings.ReplaceAll(s, " ", "")
}

// containsAny returns the first of words found in s, or "".
func containsAny(s string, words []string) string {
	for _, w := range words {
		if strings.Contains(s, w) {
			return w
		}
	}
	return ""
}

// has reports whether s contains any of words.
func has(s string, words []string) bool { return containsAny(s, words) != "" }

// isCJK reports whether r is a Han character.
func isCJK(r rune) bool { return unicode.Is(unicode.Han, r) }

// countHan counts Han characters in s.
func countHan(s string) int {
	n := 0
	for _, r := range s {
		if isCJK(r) {
			n++
		}
	}
	return n
}

package classify

import (
	"regexp"
	"strings"

	"github.com/refundbot/refundbot"
)

// Amount patterns, matched on the masked text (order and tracking numbers
// already replaced by '#', so their digits can never become money).
var (
	numPat = `(\d{1,7}(?:\.\d{1,2})?)`
	cnPat  = `([零〇一二两三四五六七八九十百千万]+)`
	// ¥30, rmb 30
	currencyRE = regexp.MustCompile(`(?:¥|\$|rmb|cny)\s*` + numPat)
	// 30元, 30块, 30块钱, 30 yuan
	unitRE   = regexp.MustCompile(numPat + `\s*(?:元|块|圆|rmb|yuan|cny)`)
	unitCNRE = regexp.MustCompile(cnPat + `(?:元|块|圆)`)
	// 退30, 退我30, 退款金额30: a refund verb right before the number
	refundNumRE = regexp.MustCompile(`(?:退|退款|退我|退给我|金额|赔|赔偿|补偿|补|返|只要|要)(?:是|为|:|我|给我|改成|改为|改到|换成|填|写)?\s*` + numPat)
	refundCNRE  = regexp.MustCompile(`(?:退|退我|退给我|金额|赔|补)(?:是|为|:)?` + cnPat + `(?:元|块|圆)?`)
	// a message that is only a number (with a unit or a particle)
	bareNumRE = regexp.MustCompile(`^[^\d]{0,6}?` + numPat + `\s*(?:元|块钱|块|圆)?[^\d]{0,6}$`)
	bareCNRE  = regexp.MustCompile(`^[^零〇一二两三四五六七八九十百千万]{0,4}?` + cnPat + `(?:元|块钱|块|圆)?[^零〇一二两三四五六七八九十百千万]{0,4}$`)
)

// Units that make a number something other than money.
var notMoneyAfter = []string{"件", "个", "天", "号", "码", "单", "次", "双", "条", "斤", "kg", "周", "月", "年", "小时", "%", "折", "点", "分钟", "cm", "米", "位", "盒", "瓶", "箱", "元/", "岁", "g", "ml", "w", "寸", "半", "下", "些", "遍", "部", "台", "份", "套", "张", "把"}

// Words just before a number that make it a price or a fee, not the amount
// the buyer wants back.
var priceBefore = []string{"降了", "降价", "便宜", "原价", "付了", "花了", "买的", "价格", "运费", "标价", "卖", "优惠", "少了", "贵了", "涨了"}

// Words for the whole amount.
var fullWords = []string{"全额", "全款", "全部退", "全退", "都退", "退全部", "全部的钱", "全部金额", "全部", "所有的钱", "一分不少", "按实付", "实付金额", "付了多少退多少", "原价退", "all", "full"}

type amount struct {
	fen  refundbot.Fen
	set  bool
	full bool
}

// extractAmount reads a stated refund amount. Outside the amount question a
// number needs a money unit (元, 块, ¥) or a refund word before it ("退50",
// "金额改成120"), and no price word ("降了50块"), so counts, sizes, dates
// and durations ("两个", "42码", "11月20日", "48小时") are never amounts.
func extractAmount(masked string, asking refundbot.Slot) amount {
	var a amount
	text := compact(masked)
	if f := containsAny(text, fullWords); f != "" && (asking == refundbot.SlotAmount || f != "全部" && f != "all" && f != "full") {
		a.full = true
	}
	// Strong: a refund verb or currency sign right at the number.
	for _, re := range []*regexp.Regexp{refundNumRE, currencyRE} {
		for _, m := range re.FindAllStringSubmatchIndex(masked, -1) {
			num := masked[m[2]:m[3]]
			if !moneyFollows(masked[m[3]:]) || priceLeft(masked, m[0]) {
				continue
			}
			if f, err := refundbot.ParseYuan(num); err == nil {
				a.fen, a.set = f, true
				return a
			}
		}
	}
	for _, m := range refundCNRE.FindAllStringSubmatchIndex(masked, -1) {
		num := masked[m[2]:m[3]]
		// "退一下", "退一单": a lone digit needs a money unit to be money.
		unit := m[1] > m[3]
		if !unit && !strings.ContainsAny(num, "十百千万") {
			continue
		}
		if f, ok := parseChineseYuan(num); ok && moneyFollows(masked[m[1]:]) {
			a.fen, a.set = f, true
			return a
		}
	}
	// A number with a money unit: an amount when the bot asked for one or
	// when the message is about refunding and nothing marks it as a price.
	// A number with a money unit is an amount in any state, unless what
	// precedes it names a price ("降了50块", "花了99元").
	{
		for _, m := range unitRE.FindAllStringSubmatchIndex(masked, -1) {
			if priceLeft(masked, m[0]) {
				continue
			}
			if f, err := refundbot.ParseYuan(masked[m[2]:m[3]]); err == nil {
				a.fen, a.set = f, true
				return a
			}
		}
		for _, m := range unitCNRE.FindAllStringSubmatchIndex(masked, -1) {
			if priceLeft(masked, m[0]) {
				continue
			}
			if f, ok := parseChineseYuan(masked[m[2]:m[3]]); ok {
				a.fen, a.set = f, true
				return a
			}
		}
	}
	if asking == refundbot.SlotAmount && !a.full {
		if m := bareNumRE.FindStringSubmatchIndex(text); m != nil && moneyFollows(text[m[3]:]) {
			if f, err := refundbot.ParseYuan(text[m[2]:m[3]]); err == nil {
				a.fen, a.set = f, true
			}
		} else if m := bareCNRE.FindStringSubmatchIndex(text); m != nil && moneyFollows(text[m[3]:]) {
			if f, ok := parseChineseYuan(text[m[2]:m[3]]); ok {
				a.fen, a.set = f, true
			}
		}
	}
	return a
}

// moneyFollows reports whether what follows a number leaves it money.
func moneyFollows(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	for _, u := range notMoneyAfter {
		if strings.HasPrefix(rest, u) {
			return false
		}
	}
	// "退30块5" is rare; a following digit or '#' means we cut a code.
	if rest != "" && (rest[0] >= '0' && rest[0] <= '9' || rest[0] == '#') {
		return false
	}
	return true
}

// priceLeft reports whether the few characters before i name a price.
func priceLeft(s string, i int) bool {
	left := compact(leftContext(s, i, 4))
	return has(left, priceBefore)
}

var cnDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// parseChineseYuan parses 五十, 一百二十, 两千五, 三万 into fen. "一百五" is
// 150 (the colloquial trailing digit takes the next lower unit).
func parseChineseYuan(s string) (refundbot.Fen, bool) {
	var total, section, digit int64
	lastUnit := int64(0)
	seen := false
	for _, r := range s {
		if d, ok := cnDigits[r]; ok {
			digit, seen = d, true
			continue
		}
		var unit int64
		switch r {
		case '十':
			unit = 10
		case '百':
			unit = 100
		case '千':
			unit = 1000
		case '万':
			section = (section + digit) * 10000
			total += section
			section, digit, lastUnit = 0, 0, 10000
			seen = true
			continue
		default:
			return 0, false
		}
		if digit == 0 && unit == 10 {
			digit = 1 // 十五 = 15
		}
		section += digit * unit
		digit, lastUnit, seen = 0, unit, true
	}
	if !seen {
		return 0, false
	}
	if digit > 0 && lastUnit >= 100 && !strings.ContainsAny(s, "零〇") {
		digit *= lastUnit / 10 // 一百五 = 150, 两千五 = 2500
	}
	total += section + digit
	if total <= 0 || total > 10_000_000 {
		return 0, false
	}
	return refundbot.Fen(total * 100), true
}

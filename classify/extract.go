package classify

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
)

// NormalizeOrderID returns an order number as the platform knows it: ASCII
// letters (upper case) and digits only, so "3712 3456 7890 1234 567",
// "订单号:3712-3456-7890-1234-567" and full-width digits compare equal.
func NormalizeOrderID(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = foldRune(r)
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - ('a' - 'A'))
		}
	}
	return b.String()
}

// Courier tracking number shapes. A match is never an order number, wherever
// it appears and whatever label precedes it.
var trackingShapes = []struct {
	re      *regexp.Regexp
	carrier string
}{
	{regexp.MustCompile(`^sf\d{10,15}$`), "顺丰"},
	{regexp.MustCompile(`^yt\d{10,15}$`), "圆通"},
	{regexp.MustCompile(`^jd[a-z]{0,4}\d{8,20}$`), "京东"},
	{regexp.MustCompile(`^(jt|j&t)\d{10,15}$`), "极兔"},
	{regexp.MustCompile(`^zto\d{8,15}$`), "中通"},
	{regexp.MustCompile(`^sto\d{8,15}$`), "申通"},
	{regexp.MustCompile(`^yd\d{8,15}$`), "韵达"},
	{regexp.MustCompile(`^ems\d{8,15}$`), "邮政EMS"},
	{regexp.MustCompile(`^e[a-z]\d{9}[a-z]{2}$`), "邮政EMS"},
	{regexp.MustCompile(`^dpk\d{8,15}$`), "德邦"},
	{regexp.MustCompile(`^kye\d{8,15}$`), "跨越"},
	{regexp.MustCompile(`^zjs\d{8,15}$`), "宅急送"},
	{regexp.MustCompile(`^(ht|htky)\d{10,15}$`), "百世"},
	{regexp.MustCompile(`^uc\d{10,15}$`), "优速"},
}

// carrierPrefixes are letter prefixes that make a code a tracking number
// even when its digits do not fit a known shape.
var carrierPrefixes = []string{"sf", "yt", "jd", "jt", "j&t", "zto", "sto", "yd", "ems", "dpk", "kye", "zjs", "htky", "ht", "uc"}

// orderPrefixes are letter prefixes shops put before order numbers.
var orderPrefixes = map[string]bool{"p": true, "dd": true, "o": true, "no": true, "ord": true,
	"tb": true, "pdd": true, "dy": true, "xhs": true, "wx": true, "ks": true, "sn": true, "po": true, "od": true}

// carrierNames maps what buyers write for a courier to the carrier name the
// platform is sent. Latin names are matched as whole tokens only.
var carrierNames = []struct{ word, name string }{
	{"顺丰", "顺丰"}, {"圆通", "圆通"}, {"中通", "中通"}, {"申通", "申通"}, {"韵达", "韵达"},
	{"京东", "京东"}, {"邮政", "邮政EMS"}, {"邮局", "邮政EMS"}, {"极兔", "极兔"}, {"德邦", "德邦"},
	{"百世", "百世"}, {"汇通", "百世"}, {"跨越", "跨越"}, {"宅急送", "宅急送"}, {"天天快递", "天天"},
	{"优速", "优速"}, {"安能", "安能"}, {"丰网", "丰网"}, {"菜鸟", "菜鸟"},
}

var latinCarriers = map[string]string{"sf": "顺丰", "yto": "圆通", "yt": "圆通", "zto": "中通",
	"sto": "申通", "yunda": "韵达", "yd": "韵达", "jd": "京东", "ems": "邮政EMS", "jt": "极兔",
	"j&t": "极兔", "jtexpress": "极兔", "dpk": "德邦", "deppon": "德邦", "kye": "跨越", "sfexpress": "顺丰"}

// LooksLikeTracking reports whether id (normalised or not) has the shape of
// a courier tracking number: a carrier prefix, the EMS shape, or 10 to 15
// bare digits (order numbers are longer).
func LooksLikeTracking(id string) bool {
	s := strings.ToLower(NormalizeOrderID(id))
	if s == "" {
		return false
	}
	if allDigits(s) {
		return len(s) >= 10 && len(s) <= 15
	}
	_, ok := trackingCarrier(s)
	return ok
}

// trackingCarrier returns the carrier of a lower-case code whose shape or
// prefix says it is a tracking number.
func trackingCarrier(code string) (string, bool) {
	for _, t := range trackingShapes {
		if t.re.MatchString(code) {
			return t.carrier, true
		}
	}
	letters := leadingLetters(code)
	if letters == "" || len(code)-len(letters) < 8 {
		return "", false
	}
	for _, p := range carrierPrefixes {
		if strings.HasPrefix(letters, p) {
			return latinCarriers[p], true
		}
	}
	return "", false
}

func leadingLetters(s string) string {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] == '&') {
		i++
	}
	return s[:i]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// codeRE finds codes: optional letters, digits possibly grouped by single
// spaces or dashes, optional two trailing letters (EMS).
var codeRE = regexp.MustCompile(`[a-z&]{0,5}\d(?:[ \-]?\d)*[a-z]{0,2}`)

// code is one number-like token found in a message.
type code struct {
	start, end int    // byte span in the normalised text
	raw        string // as written (normalised), separators kept
	flat       string // letters and digits only, lower case
	prefix     string // leading letters
	digits     int
}

// codeKind is what a code was judged to be.
type codeKind int

const (
	codeNone codeKind = iota
	codeOrder
	codeTracking
)

// findCodes lists the codes in the normalised text. A run of spaced digit
// groups longer than an order number is cut where the groups first add up to
// 19 digits (or to the first group alone when that is already long), so
// "3712345678901234567 50" yields the order number and a separate 50.
func findCodes(norm string) []code {
	var out []code
	for off := 0; off < len(norm); {
		loc := codeRE.FindStringIndex(norm[off:])
		if loc == nil {
			break
		}
		s, e := off+loc[0], off+loc[1]
		// Letters glued to a longer English word are that word, not a
		// prefix: the code starts at its first digit.
		if s > 0 && isASCIILetter(norm[s-1]) {
			for s < e && !(norm[s] >= '0' && norm[s] <= '9') {
				s++
			}
		}
		e = cutGroups(norm, s, e)
		raw := norm[s:e]
		flat := strings.NewReplacer(" ", "", "-", "").Replace(raw)
		c := code{start: s, end: e, raw: raw, flat: flat, prefix: leadingLetters(flat)}
		for i := 0; i < len(flat); i++ {
			if flat[i] >= '0' && flat[i] <= '9' {
				c.digits++
			}
		}
		out = append(out, c)
		off = e
	}
	return out
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' }

// cutGroups shortens a spaced digit run [s,e) as findCodes describes.
func cutGroups(norm string, s, e int) int {
	raw := norm[s:e]
	if !strings.ContainsAny(raw, " -") {
		return e
	}
	n := 0
	firstEnd := -1
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == ' ' || c == '-' {
			if firstEnd < 0 {
				firstEnd = i
			}
			if n == 19 {
				return s + i
			}
			continue
		}
		if c >= '0' && c <= '9' {
			n++
		}
	}
	if firstEnd >= 0 {
		first := raw[:firstEnd]
		digits := len(first) - len(leadingLetters(first))
		if digits >= 10 || n > 24 {
			return s + firstEnd
		}
	}
	return e
}

// Labels in the few characters before a code.
var (
	orderLabels    = []string{"订单", "order", "订单号", "单号为", "订單"}
	trackingLabels = []string{"快递", "运单", "物流", "退货单", "寄回单", "快遞", "tracking", "运号"}
)

// leftContext returns up to n runes before byte offset i.
func leftContext(s string, i, n int) string {
	j := i
	for k := 0; k < n && j > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
	}
	return s[j:i]
}

// lastIndexAny returns the largest index in s of any word, or -1.
func lastIndexAny(s string, words []string) int {
	best := -1
	for _, w := range words {
		if i := strings.LastIndex(s, w); i > best {
			best = i
		}
	}
	return best
}

// extraction is every fact the extractors found in one message.
type extraction struct {
	orderID    string   // normalised, upper case
	candidates []string // every code that could be the order number (normalised)
	tracking   *refundbot.Shipment
	masked     string // norm with codes replaced by '#', for keyword and amount matching
}

// extractCodes finds the order number and tracking number in norm. ctxLogistics
// says the message (or the bot's question) is about a parcel.
func extractCodes(norm string, in refundbot.ClassifyInput, ctxLogistics bool) extraction {
	var x extraction
	codes := findCodes(norm)
	if len(codes) == 0 {
		x.masked = norm
		return x
	}
	carrier := carrierIn(norm)
	var mb strings.Builder
	last := 0
	for _, c := range codes {
		kind, trackCarrier := judgeCode(norm, c, in, ctxLogistics || carrier != "")
		if kind == codeOrder && LooksLikeTracking(c.flat) {
			// Whatever the label said: the shape is a courier's.
			kind = codeNone
		}
		switch kind {
		case codeOrder:
			id := NormalizeOrderID(c.flat)
			x.candidates = append(x.candidates, id)
			if x.orderID == "" {
				x.orderID = id
			}
		case codeTracking:
			if x.tracking == nil {
				name := trackCarrier
				if name == "" {
					name = carrierNear(norm, c)
				}
				if name == "" {
					name = carrier
				}
				x.tracking = &refundbot.Shipment{Carrier: name, TrackingNo: NormalizeOrderID(c.flat)}
			}
		default:
			if c.digits >= 8 && !LooksLikeTracking(c.flat) {
				x.candidates = append(x.candidates, NormalizeOrderID(c.flat))
			}
		}
		if kind != codeNone {
			mb.WriteString(norm[last:c.start])
			mb.WriteByte('#')
			last = c.end
		}
	}
	mb.WriteString(norm[last:])
	x.masked = mb.String()
	return x
}

// judgeCode decides whether c is an order number, a tracking number or
// neither. Shape first (a carrier shape is never an order), then the label
// nearest on the left, then length.
func judgeCode(norm string, c code, in refundbot.ClassifyInput, logistics bool) (codeKind, string) {
	if name, ok := trackingCarrier(c.flat); ok {
		return codeTracking, name
	}
	// The label nearest on the left decides; without one, a carrier named
	// right next to the code does; "单号" alone means tracking only when the
	// message is about a parcel.
	left := compact(leftContext(norm, c.start, 10))
	oi := lastIndexAny(left, orderLabels)
	ti := lastIndexAny(left, trackingLabels)
	bareDanHao := strings.HasSuffix(strings.TrimRight(left, ":是为#"), "单号") && oi < 0 && ti < 0
	var trackingLabelled, orderLabelled bool
	switch {
	case ti > oi:
		trackingLabelled = true
	case oi > ti:
		orderLabelled = true
	case bareDanHao:
		trackingLabelled, orderLabelled = logistics, !logistics
	default:
		trackingLabelled = carrierNear(norm, c) != ""
	}
	awaiting := in.State == refundbot.StateAwaitingTracking

	switch {
	case c.prefix != "":
		p := c.prefix
		if strings.HasPrefix(p, "order") {
			p = strings.TrimPrefix(p, "order")
			orderLabelled = true
		}
		if c.digits < 8 {
			return codeNone, ""
		}
		// A bare "单号" before a shop's own prefix (DD..., P...) names the
		// order even in a message about the parcel.
		if bareDanHao && orderPrefixes[p] && c.digits >= 10 && !awaiting {
			return codeOrder, ""
		}
		if trackingLabelled || awaiting && !orderLabelled {
			return codeTracking, ""
		}
		if orderPrefixes[p] && c.digits >= 10 || p == "" || orderLabelled || c.digits >= 12 && !logistics {
			return codeOrder, ""
		}
		if logistics {
			return codeTracking, ""
		}
		return codeNone, ""
	case c.digits >= 16 && c.digits <= 24:
		// No courier's number is this long: only an explicit tracking
		// label makes it one, never a bare "单号" in a message that
		// mentions the parcel ("单号3712… 快递暴力运输").
		if trackingLabelled && !bareDanHao {
			return codeTracking, ""
		}
		return codeOrder, ""
	case c.digits >= 10 && c.digits <= 15:
		// Courier numbers have 10 to 15 digits; order numbers here are
		// longer. Even labelled or asked for, such a number is never taken
		// as an order: a wrong order number is asked again, a tracking
		// number taken as one is the mistake the bot must never make.
		if trackingLabelled || awaiting || logistics {
			return codeTracking, ""
		}
		return codeNone, ""
	case c.digits >= 8 && c.digits < 10 && (orderLabelled || in.Asking == refundbot.SlotOrderID) && !logistics:
		return codeOrder, ""
	}
	return codeNone, ""
}

// carrierIn returns the first carrier named anywhere in norm.
func carrierIn(norm string) string {
	for _, c := range carrierNames {
		if strings.Contains(norm, c.word) {
			return c.name
		}
	}
	for _, tok := range latinTokenRE.FindAllString(norm, -1) {
		if name, ok := latinCarriers[tok]; ok {
			return name
		}
	}
	return ""
}

var latinTokenRE = regexp.MustCompile(`[a-z&]+`)

// carrierNear returns a carrier named within a few characters of c.
func carrierNear(norm string, c code) string {
	left := leftContext(norm, c.start, 8)
	// On the right, only up to the next code: "订单号… 快递单号SF…" must not
	// lend the next code's carrier to the order number.
	right := norm[c.end:]
	if k := strings.IndexFunc(right, func(r rune) bool { return r < 0x80 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z') }); k >= 0 {
		right = right[:k]
	}
	if len(right) > 18 {
		right = right[:18]
		for !utf8.ValidString(right) {
			right = right[:len(right)-1]
		}
	}
	win := left + " " + right
	for _, n := range carrierNames {
		if strings.Contains(win, n.word) {
			return n.name
		}
	}
	for _, tok := range latinTokenRE.FindAllString(win, -1) {
		if name, ok := latinCarriers[tok]; ok {
			return name
		}
	}
	return ""
}

// WrittenOrderID returns the order number id (as NormalizeOrderID gives it)
// the way the buyer wrote it in text, spaces, dashes and case included, so
// an API caller sees "3712 3456 7890 1234 567" where the buyer typed that.
// It returns id when the text does not hold it.
func WrittenOrderID(text, id string) string {
	if id == "" {
		return ""
	}
	want := strings.ToLower(id)
	r := []rune(text)
	for start := range r {
		if foldRune(r[start]) != rune(want[0]) {
			continue
		}
		i, k, end := start, 0, start
		for i < len(r) && k < len(want) {
			c := foldRune(r[i])
			switch {
			case c == rune(want[k]):
				k++
				end = i + 1
			case c == ' ' || c == '-' || r[i] == '\u00a0':
			default:
				i = len(r)
				continue
			}
			i++
		}
		if k == len(want) {
			return string(r[start:end])
		}
	}
	return id
}

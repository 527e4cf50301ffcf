package classify

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
)

// Rules is the offline classifier: ordered keyword and pattern rules over
// normalised text, aware of what the bot just asked. It is the default
// classifier, the LLM's fallback and the only source of extracted facts
// (order number, amount, tracking number). The zero value is ready to use;
// it holds no state and is safe for concurrent use.
type Rules struct {
	m    *models   // nil: the models trained on the embedded corpus
	mode blendMode // how rules and models combine; zero is the product
}

// blendMode selects a half of the classifier, for measuring each alone.
type blendMode int

const (
	blendBoth blendMode = iota
	blendRulesOnly
	blendModelOnly
)

func (r *Rules) models() *models {
	if r.m != nil {
		return r.m
	}
	return loadModels()
}

// NewRules returns the offline classifier, its models trained (the first
// call pays a few tens of milliseconds, so that the first message does not).
func NewRules() *Rules {
	loadModels()
	return &Rules{}
}

var _ refundbot.Classifier = (*Rules)(nil)

// Classify implements refundbot.Classifier. It never fails: rules need no
// I/O, so ctx is not consulted.
func (r *Rules) Classify(_ context.Context, in refundbot.ClassifyInput) (refundbot.Understanding, error) {
	return r.Understand(in), nil
}

// Understand reads one message. Intent "other" with a confidence below 0.5
// means nothing matched.
func (r *Rules) Understand(in refundbot.ClassifyInput) refundbot.Understanding {
	return r.fromReading(read(in))
}

// fromReading decides the intent of a read message and fills in the rest:
// the rules first, then the models where the rules are unsure.
func (r *Rules) fromReading(rd *reading) refundbot.Understanding {
	in := rd.in
	intent, conf, fixed := rd.decide()
	switch r.mode {
	case blendBoth:
		intent, conf = rd.combine(r.models().guess(rd.norm), intent, conf, fixed)
	case blendModelOnly:
		g := r.models().guess(rd.norm)
		intent, conf, rd.reason = g.intent, g.intentP, g.reason
	}
	u := refundbot.Understanding{
		Intent:     intent,
		OrderID:    rd.x.orderID,
		Amount:     rd.amount.fen,
		AmountSet:  rd.amount.set,
		FullAmount: rd.amount.full,
		Tracking:   rd.x.tracking,
		Answer:     rd.answer,
		Done:       rd.done,
		Angry:      rd.angry,
		Confidence: conf,
		Source:     refundbot.SourceRules,
		Reason:     rd.reason,
		RefundType: rd.rtype,
	}
	return tidy(u, in)
}

// tidy applies the labelling conventions shared by both classifiers: a
// reason belongs to a refund or an escalation, a refund type to a refund.
// While the bot collects a refund's facts the slots stay, whatever the
// intent, so "碎了" answering "why?" keeps its reason.
func tidy(u refundbot.Understanding, in refundbot.ClassifyInput) refundbot.Understanding {
	collecting := in.State == refundbot.StateCollecting || in.State == refundbot.StateConfirming
	if !collecting {
		if u.Intent != refundbot.IntentRefund && u.Intent != refundbot.IntentEscalate {
			u.Reason = ""
		}
		if u.Intent != refundbot.IntentRefund {
			u.RefundType = ""
		}
	}
	if u.Tracking != nil && u.Tracking.TrackingNo == "" {
		u.Tracking = nil
	}
	return u
}

// reading is everything found in one message before the intent is chosen.
type reading struct {
	in     refundbot.ClassifyInput
	norm   string // normalise()d text
	text   string // compact masked text: what the lexicons match
	x      extraction
	amount amount

	reason      refundbot.Reason
	complaint   bool // a fault or change of mind is stated (not just a policy term)
	rtype       refundbot.RefundType
	answer      refundbot.Answer
	answerOnly  bool   // the message is nothing but a yes or a no
	bare        string // text without punctuation
	core        string // bare without trailing particles
	done, angry bool
}

// logisticsHints make a 10-15 digit number a tracking number.
var logisticsHints = []string{"快递", "物流", "寄回", "寄了", "寄出", "运单", "退货单", "寄过去", "发回", "寄给"}

// maxText bounds the bytes read from one message. WeChat text messages are
// far shorter; the bound keeps a pasted novel from costing milliseconds.
const maxText = 4096

func read(in refundbot.ClassifyInput) *reading {
	text := in.Text
	if len(text) > maxText {
		text = text[:maxText]
		for !utf8.ValidString(text) && len(text) > maxText-4 {
			text = text[:len(text)-1]
		}
	}
	rd := &reading{in: in, norm: normalize(text)}
	c := compact(rd.norm)
	logistics := in.State == refundbot.StateAwaitingTracking || has(c, logisticsHints)
	rd.x = extractCodes(rd.norm, in, logistics)
	rd.text = compact(rd.x.masked)
	rd.amount = extractAmount(rd.x.masked, in.Asking)
	rd.bare = stripPunct(rd.text)
	rd.core = answerCore(rd.text)
	rd.reason, rd.complaint = readReason(rd.text)
	rd.rtype = readType(rd.text, rd.reason)
	rd.readAnswer()
	if rd.answerOnly {
		// "弄错了" answering "is this right?" says no; it names no fault.
		rd.reason, rd.complaint = "", false
	}
	rd.readDone()
	rd.angry = has(rd.text, angryWords) || strings.Contains(rd.text, "!!")
	return rd
}

// policyTerms name a reason without stating that it happened.
var policyTerms = map[string]bool{"七天无理由": true, "7天无理由": true, "无理由": true, "质量": true,
	"签收": true, "物流信息": true, "发货": true, "价格": true}

// readReason scores every reason by its words and returns the best with a
// score of at least 2, and whether a complaint (not only a policy term)
// was made.
func readReason(text string) (refundbot.Reason, bool) {
	// "不太喜欢", "不是很好用": the softened negation names the same thing.
	text = softNegationRE.ReplaceAllString(text, "不")
	text = preventRE.ReplaceAllString(text, "|")
	for _, n := range reasonNegations {
		if strings.Contains(text, n) {
			text = strings.ReplaceAll(text, n, "|")
		}
	}
	// Arrays, not maps: this runs on every message.
	var score, complaint [16]int
	if malfunctionRE.MatchString(text) {
		i := reasonIndex[refundbot.ReasonQuality]
		score[i] += 2
		complaint[i] += 2
	}
	for _, w := range reasonWordsByLength {
		if !strings.Contains(text, w.word) {
			continue
		}
		// The longest word consumes its span: "压坏了" is damage, and its
		// "坏了" must not count again as a fault.
		text = strings.ReplaceAll(text, w.word, "|")
		i := reasonIndex[w.reason]
		score[i] += w.weight
		if !policyTerms[w.word] {
			complaint[i] += w.weight
		}
	}
	best := -1
	for i := range reasonPriority {
		if score[i] >= 2 && (best < 0 || score[i] > score[best]) {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return reasonPriority[best], complaint[best] >= 2
}

// reasonWordsByLength is reasonWords longest first.
var reasonWordsByLength = func() []reasonWord {
	ws := append([]reasonWord(nil), reasonWords...)
	sort.SliceStable(ws, func(i, j int) bool {
		if len(ws[i].word) != len(ws[j].word) {
			return len(ws[i].word) > len(ws[j].word)
		}
		if ws[i].weight != ws[j].weight {
			return ws[i].weight > ws[j].weight
		}
		return reasonIndex[ws[i].reason] < reasonIndex[ws[j].reason]
	})
	return ws
}()

var reasonIndex = func() map[refundbot.Reason]int {
	m := make(map[refundbot.Reason]int, len(reasonPriority))
	for i, r := range reasonPriority {
		m[r] = i
	}
	return m
}()

// softNegationRE finds intensifiers between 不 and what is negated.
var softNegationRE = regexp.MustCompile(`不(太|怎么|是很|是太|大|够|咋)`)

// preventRE: "怎么洗不会掉色" asks how to avoid a fault, it reports none.
var preventRE = regexp.MustCompile(`(不会|不容易|防止|避免|以免)(掉色|褪色|坏|起球|缩水|变形|开胶|生锈|过期|碎|漏水|发霉)`)

// malfunctionRE: "转不动了", "充不进", "按不下去": a part that does not work.
var malfunctionRE = regexp.MustCompile(`(转|拧|打|开|关|按|充|插|用|启动|连|扣|拉|合|吸|煮|烧|烤|洗|吹|刷|亮|响)不(动|开|上|进|紧|严|亮|响|了|下去|起来|住|熟|干净|出)`)

// moneyBackRE: "退少的那件的钱" asks for money, not for a return.
var moneyBackRE = regexp.MustCompile(`退.{0,8}钱`)

// readType reads the refund type. Explicit words win; otherwise money back
// for goods that never came (or pieces that were missing) means refund only.
func readType(text string, reason refundbot.Reason) refundbot.RefundType {
	t := strings.ReplaceAll(text, "退换", "|") // "退换" leaves the choice open
	switch {
	case has(t, refundOnlyWords):
		return refundbot.RefundOnly
	case has(t, exchangeWords):
		return refundbot.Exchange
	case has(t, returnWords):
		return refundbot.ReturnRefund
	}
	money := has(t, []string{"退钱", "把钱退", "钱退", "退我钱"}) || moneyBackRE.MatchString(t)
	switch {
	case (reason == refundbot.ReasonNotReceived || reason == refundbot.ReasonLateShipment) &&
		(money || strings.Contains(t, "不要了") && strings.Contains(t, "退")):
		return refundbot.RefundOnly
	case reason == refundbot.ReasonWrongItem && has(t, missingWords) && money:
		return refundbot.RefundOnly
	}
	return ""
}

// answerCore strips punctuation, emoji-free symbols and trailing particles
// so "好的!", "是的呀~" and "嗯嗯。" compare with the yes/no words.
func answerCore(text string) string {
	s := stripPunct(text)
	for {
		t := strings.TrimSuffix(s, "吧")
		for _, p := range []string{"啊", "呀", "哦", "啦", "嘛", "呢", "哈", "哒", "喔", "噢", "捏", "昂", "了"} {
			t = strings.TrimSuffix(t, p)
		}
		if t == s || t == "" {
			return s
		}
		s = t
	}
}

// stripPunct drops punctuation, spaces and the '#' that masks codes.
func stripPunct(text string) string {
	var b strings.Builder
	for _, r := range text {
		if unicode.IsPunct(r) || unicode.IsSpace(r) || r == '~' || r == '#' || r == '^' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// clauseRE splits a message into clauses for "是的,提交吧"-style answers.
var clauseRE = regexp.MustCompile(`[,.!?;~ ]+`)

func (rd *reading) readAnswer() {
	switch {
	case yesWords[rd.core]:
		rd.answer, rd.answerOnly = refundbot.AnswerYes, true
		return
	case noWords[rd.core]:
		rd.answer, rd.answerOnly = refundbot.AnswerNo, true
		return
	}
	first := answerCore(clauseRE.Split(rd.norm, 2)[0])
	switch {
	case yesWords[first] && first != "要" && first != "可":
		rd.answer = refundbot.AnswerYes
	case noWords[first] && first != "没有" && first != "没":
		rd.answer = refundbot.AnswerNo
	case has(rd.text, cancelWords) || strings.HasPrefix(rd.core, "不对") || strings.HasPrefix(rd.core, "不是"):
		rd.answer = refundbot.AnswerNo
	}
}

// doneStrong say "nothing more" in any state.
var doneStrong = []string{"没有了", "就这些", "没有图", "没图", "没有照片", "没别的", "就这么多", "没有其他", "没有别的"}

func (rd *reading) readDone() {
	switch rd.in.Asking {
	case refundbot.SlotEvidence, refundbot.SlotDescription:
		rd.done = doneBare[rd.core] || has(rd.text, doneWords)
	default:
		rd.done = has(rd.text, doneStrong)
	}
}

// isQuestion reports whether the message asks something.
var questionMarks = []string{"?", "吗", "么", "嘛", "怎", "如何", "多久", "几", "哪", "谁", "什么", "啥", "为何",
	"会不会", "能不能", "可不可以", "是否", "能否", "咋", "多少", "不能", "能退不", "可以不", "how", "what",
	"when", "why", "where", "can i", "退不退", "是不是", "有没有", "要不要", "行不行", "算不算", "给不给",
	"包不包", "换不换", "用不用", "需不需要", "可以不", "能不", "好不好"}

// ownCaseRE: "申请三天了", "等了一周", "申请好几天".
var ownCaseRE = regexp.MustCompile(`(申请|提交|退货|寄回|等)了?[0-9一二两三四五六七八九十几好多]+(天|周|个星期|个礼拜|星期|礼拜|个月)`)

// merchantGotRE: "商家收到我寄回的货了吗": has the return arrived.
var merchantGotRE = regexp.MustCompile(`(商家|卖家|你们|店家).{0,3}(收到|签收).{0,10}(吗|没|么)`)

// canRefundRE: "可以再申请吗", "支持换货不": can one do this, in general.
var canRefundRE = regexp.MustCompile(`(能|可以|可不可以|能不能|支持|允许|还能).{0,6}(退|换|申请|售后|介入|赔).{0,8}(吗|么|不|嘛|\?)`)

// cancelRE: "取消这个退款", "撤销一下售后申请".
var cancelRE = regexp.MustCompile(`(取消|撤销|撤回|关闭|关掉)(这个|那个|我的|一下|掉|刚刚|刚才)?的?(退款|售后|退货|换货|申请)`)

// faqNeedRE: "退货需要原包装吗", "换货要先寄回吗": what the rules require.
var faqNeedRE = regexp.MustCompile(`(需要|需不需要|要不要|必须|得|要先|要求)[^,.!?]{0,10}(吗|么|嘛|\?)`)

// complaintRE: something wrong with what arrived, even without a known
// symptom word: "收到的东西完全不能看", "买的鞋子太硬了".
var complaintRE = regexp.MustCompile(`(收到|到货|买的|发来|寄来|送来|拿到|东西|商品|货).{0,12}(不|没|太|坏|差|烂|错|只有|明明|什么玩意|怎么回事)`)

// progressRE: "商家同意退货了吗", "审核通过没有": has a step of the case happened.
var progressRE = regexp.MustCompile(`(同意|通过|审核|受理|批准|处理|到账|退回来).{0,4}(了吗|了没|没有|了么|没$|了嘛)`)

// escalateHowRE: "怎么申请平台介入", "抖音上怎么让官方介入": how to escalate is a FAQ.
var escalateHowRE = regexp.MustCompile(`(怎么|如何|怎样|咋|在哪).{0,8}(介入|申诉|平台|官方)`)

// decide chooses the intent: first from what the bot is waiting for, then
// from the text alone.
// fixed reports that the bot's question decided, so the text alone (and
// the model, which reads only the text) must not overrule it.
func (rd *reading) decide() (it refundbot.Intent, conf float64, fixed bool) {
	if it, c, ok := rd.byState(); ok {
		return it, c, true
	}
	it, conf = rd.byText()
	return it, conf, false
}

// byState gives short answers their meaning from the bot's question. It
// leaves the message to byText when the text says something stronger.
func (rd *reading) byState() (refundbot.Intent, float64, bool) {
	in, t := rd.in, rd.text
	// Asking for a person, or stopping, wins in every state.
	if has(t, humanWords) && !rd.answerOnly {
		return refundbot.IntentHuman, 0.9, true
	}
	switch in.State {
	case refundbot.StateCollectingAppeal:
		if has(t, cancelWords) {
			return refundbot.IntentCancel, 0.85, true
		}
		if rd.done {
			return refundbot.IntentEscalate, 0.9, true
		}
		return refundbot.IntentEscalate, 0.8, true
	case refundbot.StateConfirming, refundbot.StateConfirmingCancel, refundbot.StateConfirmingIntervene:
		if has(t, cancelWords) && in.State == refundbot.StateConfirming {
			return refundbot.IntentCancel, 0.9, true
		}
		if rd.answerOnly {
			// A bare yes/no answers the question; it is no new intent.
			if in.State == refundbot.StateConfirming {
				return refundbot.IntentRefund, 0.9, true
			}
			return refundbot.IntentOther, 0.9, true
		}
		if rd.answer != refundbot.AnswerNone {
			it, c := rd.byText()
			if it == refundbot.IntentOther || it == refundbot.IntentGreeting {
				if in.State == refundbot.StateConfirming {
					return refundbot.IntentRefund, 0.8, true
				}
				return refundbot.IntentOther, 0.8, true
			}
			return it, c, true
		}
	case refundbot.StateAwaitingTracking:
		if rd.x.tracking != nil {
			return refundbot.IntentLogistics, 0.95, true
		}
		if carrierIn(rd.norm) != "" && countHan(t) <= 8 {
			return refundbot.IntentLogistics, 0.7, true
		}
	case refundbot.StateCollecting:
		return rd.collecting()
	}
	return "", 0, false
}

// collecting reads an answer to the slot the bot asked for.
func (rd *reading) collecting() (refundbot.Intent, float64, bool) {
	t := rd.text
	refund := func(c float64) (refundbot.Intent, float64, bool) { return refundbot.IntentRefund, c, true }
	if has(t, cancelWords) && !has(t, typeSwitchWords) {
		return refundbot.IntentCancel, 0.9, true
	}
	if has(t, escalateWords) && !escalateHowRE.MatchString(t) {
		return refundbot.IntentEscalate, 0.85, true
	}
	switch rd.in.Asking {
	case refundbot.SlotOrderID:
		if rd.x.orderID != "" {
			return refund(0.95)
		}
	case refundbot.SlotType:
		if rd.rtype != "" {
			return refund(0.9)
		}
	case refundbot.SlotReason:
		if rd.reason != "" {
			return refund(0.9)
		}
		it, c := rd.byText()
		if c >= 0.75 && it != refundbot.IntentRefund && it != refundbot.IntentOther {
			return it, c, true
		}
		// Whatever the buyer says is their reason; only the code is unknown.
		if countHan(t) >= 2 && !rd.answerOnly {
			rd.reason = refundbot.ReasonOther
			return refund(0.6)
		}
	case refundbot.SlotDescription:
		if !rd.answerOnly || rd.done {
			return refund(0.85)
		}
	case refundbot.SlotEvidence:
		if rd.done {
			return refund(0.9)
		}
	case refundbot.SlotAmount:
		if rd.amount.set || rd.amount.full {
			return refund(0.95)
		}
	}
	if rd.answerOnly {
		return refund(0.85)
	}
	it, c := rd.byText()
	if (it == refundbot.IntentOther || it == refundbot.IntentGreeting) &&
		(rd.x.orderID != "" || rd.amount.set || rd.amount.full || rd.rtype != "" || rd.reason != "" || rd.done) {
		return refund(0.7)
	}
	return it, c, true
}

// byText is the intent from the text alone: ordered rules, first match wins.
func (rd *reading) byText() (refundbot.Intent, float64) {
	t := rd.text
	question := has(t, questionMarks)
	ownCase := has(t, ownCaseWords) || ownCaseRE.MatchString(t) || rd.x.orderID != "" && question
	thisItem := has(t, thisItemWords) || rd.x.orderID != ""
	refundWord := has(t, refundWords)
	asksForRefund := has(t, []string{"我要退", "我想退", "帮我退", "给我退", "我要换", "我想换", "帮我换", "我要申请",
		"我想申请", "帮我把", "把这单退", "把这个退", "能帮我退", "给我把"})

	cancel := (has(t, cancelWords) || cancelRE.MatchString(t)) && !has(t, typeSwitchWords)
	how := question && has(t, faqHowWords) && !ownCase && !asksForRefund && !has(t, []string{"帮我", "我要", "我想", "给我"})
	switch {
	case cancel && how:
		return refundbot.IntentFAQ, 0.8
	case cancel:
		return refundbot.IntentCancel, 0.9
	case has(t, humanWords):
		return refundbot.IntentHuman, 0.9
	case question && escalateHowRE.MatchString(t) && !strings.Contains(t, "投诉"):
		return refundbot.IntentFAQ, 0.85
	case question && has(t, []string{"介入", "申诉", "平台"}) && (has(t, faqPolicyWords) || how) && !ownCase:
		return refundbot.IntentFAQ, 0.8
	case has(t, escalateWords):
		return refundbot.IntentEscalate, 0.9
	case rd.x.tracking != nil:
		return refundbot.IntentLogistics, 0.9
	case has(t, returnAddressWords):
		return refundbot.IntentLogistics, 0.8
	case (has(t, statusWords) || merchantGotRE.MatchString(t) || progressRE.MatchString(t)) && !asksForRefund && (ownCase || !question || !has(t, faqPolicyWords) && !has(t, faqHowWords)):
		return refundbot.IntentStatus, 0.85
	case has(t, statusWeakWords) && ownCase:
		return refundbot.IntentStatus, 0.8
	case has(t, []string{"还没到", "没到", "还没下来", "还没好"}) && (ownCaseRE.MatchString(t) || has(t, []string{"我的退款", "申请"})):
		return refundbot.IntentStatus, 0.8
	case question && has(t, categoryWords) && !thisItem && !ownCase &&
		(has(t, canRefundWords) || canRefundRE.MatchString(t) || has(t, faqPolicyWords)):
		return refundbot.IntentFAQ, 0.8
	case question && has(t, faqPolicyWords) && !ownCase:
		return refundbot.IntentFAQ, 0.85
	case how && !thisItem && !rd.complaint:
		return refundbot.IntentFAQ, 0.8
	case question && faqNeedRE.MatchString(t) && has(t, domainWords) && !ownCase && !thisItem && !rd.complaint:
		return refundbot.IntentFAQ, 0.75
	case question && (has(t, canRefundWords) || canRefundRE.MatchString(t)) && !rd.complaint && !thisItem && !ownCase:
		return refundbot.IntentFAQ, 0.8
	case has(t, rejectedWords):
		return refundbot.IntentEscalate, 0.8
	case has(t, ignoredWords) && !has(t, refundAskWords):
		return refundbot.IntentEscalate, 0.75
	case has(t, shippedBackWords) && !asksForRefund:
		return refundbot.IntentLogistics, 0.75
	case has(t, logisticsAskWords) && !refundWord && !(rd.complaint && !question):
		return refundbot.IntentLogistics, 0.75
	case has(t, offTopicWords) && !refundWord && (!rd.complaint || question):
		return refundbot.IntentOther, 0.7
	case refundWord || rd.rtype != "":
		// A question that mentions a refund may ask about refunds in
		// general: left below rulesSure for the model to weigh.
		if question {
			return refundbot.IntentRefund, 0.8
		}
		return refundbot.IntentRefund, 0.9
	case rd.complaint:
		return refundbot.IntentRefund, 0.75
	case has(t, ignoredWords):
		return refundbot.IntentEscalate, 0.75
	case has(t, cancelWeakWords) && !rd.answerOnly:
		return refundbot.IntentCancel, 0.6
	case rd.x.orderID != "":
		return refundbot.IntentRefund, 0.6
	case question && has(t, domainWords) && !has(t, offTopicWords):
		return refundbot.IntentFAQ, 0.6
	case has(t, statusWeakWords):
		return refundbot.IntentFAQ, 0.6
	case complaintRE.MatchString(t) && !question:
		return refundbot.IntentRefund, 0.55
	case rd.greetingOnly():
		return refundbot.IntentGreeting, 0.9
	case has(t, offTopicWords):
		return refundbot.IntentOther, 0.7
	case rd.answerOnly:
		return refundbot.IntentOther, 0.5
	case rd.angry && has(t, insultWords):
		// "垃圾商家 骗子": nothing asked, only anger at the shop. The bot
		// should take it up the ladder, not answer "not understood".
		return refundbot.IntentEscalate, 0.7
	}
	return refundbot.IntentOther, 0.3
}

// greetingByLength lists greeting words longest first, so "你好呀" is
// removed whole before "你好".
var greetingByLength = func() []string {
	g := append([]string(nil), greetingWords...)
	sort.Slice(g, func(i, j int) bool { return len(g[i]) > len(g[j]) })
	return g
}()

// greetingOnly reports whether the message is a greeting, thanks or
// goodbye with at most one other character ("谢谢啦", "好的 拜拜").
func (rd *reading) greetingOnly() bool {
	rest := rd.bare
	found := false
	for _, g := range greetingByLength {
		if strings.Contains(rest, g) {
			rest = strings.ReplaceAll(rest, g, "")
			found = true
		}
	}
	if !found {
		return false
	}
	for _, f := range greetingFiller {
		rest = strings.ReplaceAll(rest, f, "")
	}
	return countHan(rest) <= 1 && len(strings.TrimFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })) <= 3
}

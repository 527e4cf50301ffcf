package knowledge

import (
	"sync"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/classify"
)

// Buyers and operators name the same thing in different words:
// 收到货发现是坏的 against an entry that says 商品有破损, 箱子里没有遥控器
// against 包装里少了配件. The synonym table joins the words it lists; the project's
// buyer-language classifier, trained on thousands of buyer messages, also
// reads what a message is about (why a refund: damaged, missing, not
// arrived, price; what is wanted: exchange; what for: status, a human,
// escalation, logistics, cancelling). Its labels are added as concept
// terms to every phrasing (question and similar) and to every question,
// so a phrasing and a question with the same label share a term whatever
// words they use. Round 6 of testdata/blind/README.md measured it.

// buyerPrefix starts the concept terms read by the classifier, to tell
// them from the synonym table's.
const buyerPrefix = conceptPrefix + "="

// buyerWeight is a classifier concept's termWeight: as much as a synonym
// concept (1.2). Chosen leaving one base out (README, round 6); the
// figures move a lot with it (1.0 and 1.4 did worse), so it is not pinned
// down well.
const buyerWeight = 1.2

// buyerMinConfidence is the least confidence of the classifier's reading
// for its labels to count: below 0.5 it says nothing matched.
const buyerMinConfidence = 0.5

// buyerRules is built on first use: training its models takes a few tens
// of milliseconds, which a process that never searches need not pay.
var buyerRules = sync.OnceValue(classify.NewRules)

// buyerTerms are the concept terms the classifier reads in text. Damaged
// joins quality (坏了 is read as either), and not received joins wrong
// item (里面没有X is read as either: an item missing from the parcel).
// Intents that say only "a question" or "a refund" (faq, refund, other,
// greeting) would join nearly every entry, so they are left out.
func buyerTerms(text string) []string {
	u := buyerRules().Understand(refundbot.ClassifyInput{Text: text, State: refundbot.StateIdle})
	if u.Confidence < buyerMinConfidence {
		return nil
	}
	var out []string
	switch u.Intent {
	case refundbot.IntentStatus, refundbot.IntentEscalate, refundbot.IntentHuman,
		refundbot.IntentLogistics, refundbot.IntentCancel:
		out = append(out, buyerPrefix+"i:"+string(u.Intent))
	}
	switch r := u.Reason; r {
	case "", refundbot.ReasonOther:
	case refundbot.ReasonDamaged:
		out = append(out, buyerPrefix+"r:"+string(refundbot.ReasonQuality))
	case refundbot.ReasonNotReceived:
		out = append(out, buyerPrefix+"r:"+string(refundbot.ReasonWrongItem))
	default:
		out = append(out, buyerPrefix+"r:"+string(r))
	}
	if u.RefundType != "" {
		out = append(out, buyerPrefix+"t:"+string(u.RefundType))
	}
	return out
}

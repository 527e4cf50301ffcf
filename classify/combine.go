package classify

import (
	"github.com/refundbot/refundbot"
)

// How the rules and the models are combined. Chosen by cross-validation on
// the training corpus and the earlier sets (see TestCrossValidation), never
// on the held-out files:
//
//   - rulesSure: a rule of at least this confidence (an explicit keyword:
//     人工, 投诉, 不退了, a tracking number...) keeps its intent whatever the
//     model says; the model only lowers the confidence when it disagrees.
//   - modelSure: below rulesSure the model's intent wins when its posterior
//     reaches this.
//   - reasonSure: the model names a reason the rules did not find when its
//     posterior reaches this.
var (
	rulesSure  = 0.9
	modelSure  = 0.9
	reasonSure = 0.9
)

// combine settles the intent from the rules' choice and the model's guess,
// and fills in a reason the rules missed. fixed means the bot's question
// decided the intent; only the reason may still come from the model.
func (rd *reading) combine(g modelGuess, it refundbot.Intent, conf float64, fixed bool) (refundbot.Intent, float64) {
	if !fixed {
		it, conf = combineIntent(g, it, conf)
	}
	rd.reason = combineReason(rd, g, it)
	return it, conf
}

// combineIntent: agreement raises the confidence, disagreement lowers it;
// a sure rule keeps its intent, otherwise a sure model takes over.
func combineIntent(g modelGuess, it refundbot.Intent, conf float64) (refundbot.Intent, float64) {
	switch {
	case g.intent == it && conf < 0.5:
		// No rule matched: the model's "other" too only says that
		// nothing it knows was found; the bot should still hear
		// "not understood".
		return it, conf
	case g.intent == it:
		return it, 1 - (1-conf)*(1-g.intentP)*0.5
	case conf >= rulesSure:
		return it, conf * (1 - 0.3*g.intentP)
	case g.intentP >= modelSure:
		return g.intent, g.intentP * (1 - 0.3*conf)
	}
	return it, conf * (1 - 0.3*g.intentP)
}

// combineReason keeps the rules' reason (their words are the strongest
// evidence there is) and asks the model only when the rules found none or
// fell back to "other" for an answer to "why?". Escalations keep only what
// the rules found: their anger reads like a complaint without naming one.
func combineReason(rd *reading, g modelGuess, it refundbot.Intent) refundbot.Reason {
	r := rd.reason
	if r != "" && r != refundbot.ReasonOther {
		return r
	}
	// The model names a reason only where one is expected: a refund asked
	// for out of the blue, or the answer to "why?". Answers to the bot's
	// other questions ("没有了", "好的") name none, whatever they resemble.
	switch st := rd.in.State; {
	case it != refundbot.IntentRefund:
		return r
	case st == refundbot.StateCollecting && rd.in.Asking == refundbot.SlotReason:
	case st == refundbot.StateIdle || st == refundbot.StateFiled || st == "":
	default:
		return r
	}
	if g.reason != "" && g.reasonP >= reasonSure {
		return g.reason
	}
	return r
}

package bot

import (
	"context"
	"time"

	"github.com/refundbot/refundbot"
)

// stepIdle handles a message when nothing is being collected: after a
// greeting, or after a refund was filed.
func (b *Bot) stepIdle(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	switch m.Intent {
	case refundbot.IntentRefund:
		return b.startRefund(ctx, s, m)
	case refundbot.IntentStatus:
		return b.progress(ctx, s, m)
	case refundbot.IntentLogistics:
		return b.tracking(ctx, s, m)
	case refundbot.IntentCancel:
		return b.askCancel(ctx, s, m)
	case refundbot.IntentEscalate:
		return b.escalate(ctx, s, m)
	case refundbot.IntentGreeting:
		s.Misunderstood = 0
		if m.in.Kind == refundbot.InboundEvent {
			return say(s, textWelcome), nil
		}
		return say(s, textGreeting), nil
	}
	// A stated reason or order number is a refund even without "退款".
	if m.OrderID != "" || m.Reason != "" || m.RefundType != "" {
		return b.startRefund(ctx, s, m)
	}
	return b.answer(ctx, s, m)
}

// startRefund begins collecting a refund with whatever the message already
// says.
func (b *Bot) startRefund(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	s.State = refundbot.StateCollecting
	s.Draft = refundbot.RefundDraft{}
	s.Asking = refundbot.SlotNone
	s.FilingKey = ""
	s.Misunderstood = 0
	s.OrderAttempts = 0
	return b.collect(ctx, s, m, "")
}

// restart drops the draft and begins again.
func (b *Bot) restart(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	s.State = refundbot.StateIdle
	s.Draft = refundbot.RefundDraft{}
	if m.hasSlot() {
		return b.startRefund(ctx, s, m)
	}
	return b.startRefund(ctx, s, message{in: m.in})
}

// cancelDraft drops a refund that was not filed yet.
func (b *Bot) cancelDraft(s refundbot.Session) (Turn, error) {
	s.State = refundbot.StateIdle
	s.Draft = refundbot.RefundDraft{}
	s.Asking = refundbot.SlotNone
	s.FilingKey = ""
	return say(s, textDraftCancelled), nil
}

// answer replies from the knowledge base and, mid-flow, asks the pending
// question again so the buyer knows where they are.
func (b *Bot) answer(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	var t Turn
	res, err := b.Knowledge.Search(ctx, m.text, 3)
	if err != nil {
		return Turn{Session: s}, err
	}
	switch {
	case res.Best != nil:
		s.Misunderstood = 0
		t = say(s, res.Best.Entry.Answer)
	case m.Intent == refundbot.IntentOther && m.Confidence >= b.Policy.MinConfidence && !looksLikeQuestion(m.text):
		// Off-topic but understood (e.g. asking about coupons).
		t = say(s, textOffTopic)
	default:
		s.Misunderstood++
		if s.Misunderstood >= b.Policy.MaxMisunderstood {
			return b.handoff(s, handoffMisunderstood, textHandoffMisunderstood)
		}
		t = say(s, textNotSure)
		if m.Intent == refundbot.IntentFAQ || looksLikeQuestion(m.text) {
			t.Unanswered = m.text
		}
	}
	t.Session = s
	if s.State == refundbot.StateCollecting || s.State == refundbot.StateConfirming {
		t.Replies[0].Text = joinTexts(t.Replies[0].Text, textResume, b.question(s))
	}
	return t, nil
}

// Handoff reasons, shown to support staff.
const (
	handoffAsked         = "买家要求人工"
	handoffMisunderstood = "机器人多次未理解"
	handoffAngry         = "买家情绪激动"
	handoffAmount        = "金额超过自动处理上限"
	handoffOrder         = "多次未找到订单"
	handoffEscalate      = "买家要求投诉/升级"
)

// handoff passes the conversation to a person: WeChat's customer service
// (transfer reply) or the built-in queue, where the bot goes quiet.
func (b *Bot) handoff(s refundbot.Session, reason, text string) (Turn, error) {
	s.Misunderstood = 0
	if b.Policy.TransferToWeChat {
		return Turn{Session: s, Handoff: reason, Replies: []refundbot.Reply{{Text: text, Transfer: true}}}, nil
	}
	if !b.inServiceHours() {
		text = joinTexts(text, textOutOfHours(b.Policy.ServiceStart, b.Policy.ServiceEnd))
	}
	s.ResumeState = s.State
	s.State = refundbot.StateHandoff
	return Turn{Session: s, Handoff: reason, Replies: []refundbot.Reply{{Text: text}}}, nil
}

func (b *Bot) inServiceHours() bool {
	p := b.Policy
	if p.ServiceStart == p.ServiceEnd {
		return true
	}
	loc := p.ServiceLocation
	if loc == nil {
		loc = time.UTC
	}
	h := b.Now().In(loc).Hour()
	if p.ServiceStart < p.ServiceEnd {
		return h >= p.ServiceStart && h < p.ServiceEnd
	}
	return h >= p.ServiceStart || h < p.ServiceEnd
}

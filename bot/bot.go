package bot

import (
	"context"
	"time"

	"github.com/refundbot/refundbot"
)

// Policy is what the merchant allows. The zero value is not useful: start
// from DefaultPolicy.
type Policy struct {
	// AfterSaleDays is how long after delivery a refund may be filed.
	AfterSaleDays int
	// NoReasonDays is the no-reason return period after delivery.
	NoReasonDays int
	// HandoffAbove sends refunds above this amount to a person; 0 = never.
	HandoffAbove refundbot.Fen
	// MinConfidence below which an unusable message counts as misunderstood.
	MinConfidence float64
	// MaxMisunderstood consecutive turns before a person takes over.
	MaxMisunderstood int
	// MaxOrderAttempts wrong order numbers before a person is offered.
	MaxOrderAttempts int
	// TransferToWeChat: hand off by replying transfer_customer_service
	// instead of the built-in support queue.
	TransferToWeChat bool
	// ServiceHours is when people answer, as [start, end) hours in
	// ServiceLocation; start == end means always.
	ServiceStart, ServiceEnd int
	ServiceLocation          *time.Location
}

// DefaultPolicy is the platforms' common rules: 15-day after-sale window,
// 7-day no-reason return, support from 9:00 to 21:00 China time.
func DefaultPolicy() Policy {
	return Policy{
		AfterSaleDays:    15,
		NoReasonDays:     7,
		MinConfidence:    0.5,
		MaxMisunderstood: 2,
		MaxOrderAttempts: 3,
		ServiceStart:     9,
		ServiceEnd:       21,
		ServiceLocation:  time.FixedZone("CST", 8*3600),
	}
}

// Bot is the conversation engine. Every field but Policy is required.
type Bot struct {
	Orders     refundbot.OrderService
	Refunds    refundbot.RefundService
	Evidence   refundbot.EvidenceService
	Media      refundbot.MediaFetcher
	Classifier refundbot.Classifier
	Knowledge  refundbot.KnowledgeBase
	Policy     Policy
	// Now is the clock; NewKey makes Idempotency-Keys. Both are injected so
	// a conversation replays exactly in tests.
	Now    func() time.Time
	NewKey func() string
}

// Turn is the outcome of one step: the next session, what to say, and what
// the caller must do that the bot cannot (open a handoff, note a question
// the knowledge base could not answer).
type Turn struct {
	Session refundbot.Session
	Replies []refundbot.Reply
	// Handoff is set when a person should take over, with why.
	Handoff string
	// Unanswered is a buyer question the knowledge base had no answer for.
	Unanswered string
}

// Step advances one buyer's conversation by one message. It stores and
// sends nothing; lookups, uploads and filing go through the Bot's services.
func (b *Bot) Step(ctx context.Context, s refundbot.Session, in refundbot.Inbound) (Turn, error) {
	s.LastInboundAt = in.At
	if s.State == "" {
		s.State = refundbot.StateIdle
	}
	if s.State == refundbot.StateHandoff {
		// A person has the conversation; the bot stays quiet.
		return Turn{Session: s}, nil
	}
	m, err := b.understand(ctx, s, in)
	if err != nil {
		return Turn{Session: s}, err
	}

	// Anywhere in the flow: restart, cancel, a person, a question.
	switch {
	case m.restart:
		return b.restart(ctx, s, m)
	case m.Intent == refundbot.IntentHuman:
		return b.handoff(s, handoffAsked, textHandoffAsked)
	case m.Intent == refundbot.IntentCancel && inFlow(s.State):
		return b.cancelDraft(s)
	case m.Intent == refundbot.IntentFAQ && !answersQuestion(s, m):
		return b.answer(ctx, s, m)
	}

	switch s.State {
	case refundbot.StateIdle, refundbot.StateFiled:
		return b.stepIdle(ctx, s, m)
	case refundbot.StateCollecting:
		return b.stepCollecting(ctx, s, m)
	case refundbot.StateConfirming:
		return b.stepConfirming(ctx, s, m)
	case refundbot.StateConfirmingCancel:
		return b.stepConfirmingCancel(ctx, s, m)
	case refundbot.StateAwaitingTracking:
		return b.stepAwaitingTracking(ctx, s, m)
	case refundbot.StateConfirmingIntervene:
		return b.stepConfirmingIntervene(ctx, s, m)
	case refundbot.StateCollectingAppeal:
		return b.stepCollectingAppeal(ctx, s, m)
	}
	return Turn{Session: s}, refundbot.Errorf(refundbot.EINTERNAL, "bot: unknown state %q", s.State)
}

// inFlow reports whether a refund is being collected or confirmed, where
// "取消" drops the draft rather than a filed refund.
func inFlow(st refundbot.State) bool {
	return st == refundbot.StateCollecting || st == refundbot.StateConfirming
}

// say builds a turn that replies with texts merged into one message: WeChat
// allows one passive reply and counts customer-service messages.
func say(s refundbot.Session, texts ...string) Turn {
	return Turn{Session: s, Replies: []refundbot.Reply{{Text: joinTexts(texts...)}}}
}

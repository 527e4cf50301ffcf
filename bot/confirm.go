package bot

import (
	"context"
	"errors"

	"github.com/refundbot/refundbot"
)

// confirm shows the summary and waits for a yes. The Idempotency-Key is
// made here, stored with the session before any filing, and kept for the
// draft's life: however often the buyer says yes, one refund.
func (b *Bot) confirm(_ context.Context, s refundbot.Session, notes ...string) (Turn, error) {
	if b.Policy.HandoffAbove > 0 && s.Draft.Amount > b.Policy.HandoffAbove {
		return b.handoff(s, handoffAmount, textHandoffAmount)
	}
	s.State = refundbot.StateConfirming
	s.Asking = refundbot.SlotNone
	if s.FilingKey == "" {
		s.FilingKey = b.NewKey()
	}
	return say(s, joinTexts(notes...), textSummary(s.Draft), textAskConfirm), nil
}

// stepConfirming files on yes; anything that changes a fact goes back
// through collect and shows the summary again.
func (b *Bot) stepConfirming(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	switch {
	case m.hasSlot():
		return b.collect(ctx, s, m, "")
	case m.Answer == refundbot.AnswerYes:
		return b.file(ctx, s)
	case m.Answer == refundbot.AnswerNo:
		return say(s, textWhatToChange), nil
	}
	if m.Intent == refundbot.IntentStatus || m.Intent == refundbot.IntentEscalate || m.Intent == refundbot.IntentLogistics {
		return b.answerAside(ctx, s, m)
	}
	if m.Angry {
		return b.handoff(s, handoffAngry, textHandoffAngry)
	}
	return say(s, textDidNotGet, textAskConfirm), nil
}

// file submits the refund. The order is checked again first: it may have
// changed hands or status since the buyer named it.
func (b *Bot) file(ctx context.Context, s refundbot.Session) (Turn, error) {
	d := s.Draft
	o, problem, err := b.checkOrder(ctx, s.Buyer, d.OrderID)
	if err != nil {
		return Turn{Session: s}, err
	}
	if problem != "" {
		if problem == textPlatformBusy {
			return say(s, textFilingRetry), nil
		}
		return b.refused(s, problem)
	}
	if d.Type != refundbot.Exchange && (d.Amount <= 0 || d.Amount > o.PaidAmount) {
		s.Draft.AmountSet = false
		return b.next(ctx, s, textAmountTooHigh(d.Amount, o.PaidAmount))
	}
	if d.Type == refundbot.Exchange {
		d.Amount = 0
	}
	evidence := d.EvidenceIDs
	if evidence == nil {
		evidence = []string{}
	}
	r, err := b.Refunds.FileRefund(ctx, s.FilingKey, refundbot.RefundRequest{
		OrderID:     d.OrderID,
		BuyerOpenID: string(s.Buyer),
		Type:        d.Type,
		Reason:      d.Reason,
		Description: d.Description,
		Amount:      d.Amount,
		EvidenceIDs: evidence,
		Channel:     refundbot.ChannelWeChatOA,
	})
	switch code := refundbot.ErrorCode(err); code {
	case "":
		s = filed(s, r.RefundID)
		return say(s, textFiled(r, b.Now())), nil
	case refundbot.ECONFLICT:
		var e *refundbot.Error
		if errors.As(err, &e) && e.RefundID != "" {
			s = filed(s, e.RefundID)
		}
		return say(s, textAlreadyFiled(s.RefundID)), nil
	case refundbot.EAMOUNT, refundbot.ENOTREFUNDABLE, refundbot.EOUTSIDEWINDOW,
		refundbot.ENOTFOUND, refundbot.EINVALID, refundbot.EINVALIDSTATE:
		return b.refused(s, textPlatformRefused(code))
	default:
		// Unknown outcome (timeout, 5xx): keep the key so "确认" again
		// cannot file twice.
		return say(s, textFilingRetry), nil
	}
}

func filed(s refundbot.Session, refundID string) refundbot.Session {
	s.Misunderstood = 0
	s.State = refundbot.StateFiled
	s.RefundID = refundID
	s.Draft = refundbot.RefundDraft{}
	s.FilingKey = ""
	s.Asking = refundbot.SlotNone
	return s
}

// refused ends a draft the platform or the rules will not take.
func (b *Bot) refused(s refundbot.Session, why string) (Turn, error) {
	s.State = refundbot.StateIdle
	s.Draft = refundbot.RefundDraft{}
	s.FilingKey = ""
	s.Asking = refundbot.SlotNone
	return say(s, why, textRefusedNext), nil
}

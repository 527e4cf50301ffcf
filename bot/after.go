package bot

import (
	"context"
	"sort"

	"github.com/refundbot/refundbot"
)

// After filing: progress, return shipping, cancelling and platform
// intervention. Each finds the buyer's own refunds only.

// buyerRefunds lists the buyer's refunds, newest first, dropping anything
// the platform returned for another buyer.
func (b *Bot) buyerRefunds(ctx context.Context, buyer refundbot.BuyerID, orderID string) ([]*refundbot.Refund, error) {
	rs, err := b.Refunds.FindRefunds(ctx, refundbot.RefundFilter{BuyerOpenID: string(buyer), OrderID: orderID})
	if err != nil {
		return nil, err
	}
	own := rs[:0:0]
	for _, r := range rs {
		if r.BuyerOpenID == string(buyer) && (orderID == "" || r.OrderID == orderID) {
			own = append(own, r)
		}
	}
	sort.SliceStable(own, func(i, j int) bool { return own[i].CreatedAt.After(own[j].CreatedAt) })
	return own, nil
}

// findRefund picks the refund a follow-up is about: the one the
// conversation is on if it fits, else the buyer's newest that fits.
func (b *Bot) findRefund(ctx context.Context, s refundbot.Session, fits func(*refundbot.Refund) bool) (*refundbot.Refund, error) {
	rs, err := b.buyerRefunds(ctx, s.Buyer, "")
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.RefundID == s.RefundID && fits(r) {
			return r, nil
		}
	}
	for _, r := range rs {
		if fits(r) {
			return r, nil
		}
	}
	return nil, nil
}

// progress tells the buyer where each of their refunds is.
func (b *Bot) progress(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	rs, err := b.buyerRefunds(ctx, s.Buyer, m.OrderID)
	if err != nil {
		return say(s, textPlatformBusy), nil
	}
	s.Misunderstood = 0
	if len(rs) == 0 {
		return say(s, textNoRefunds), nil
	}
	return say(s, textProgress(rs, b.Now())), nil
}

// tracking submits a return parcel's tracking number.
func (b *Bot) tracking(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	r, err := b.findRefund(ctx, s, func(r *refundbot.Refund) bool { return r.Status == refundbot.StatusAwaitingReturn })
	if err != nil {
		return say(s, textPlatformBusy), nil
	}
	if r == nil {
		return say(s, textNoReturnNeeded), nil
	}
	s.RefundID = r.RefundID
	if m.Tracking == nil || m.Tracking.TrackingNo == "" {
		s.State = refundbot.StateAwaitingTracking
		return say(s, textAskTracking(r)), nil
	}
	updated, err := b.Refunds.SubmitReturnShipment(ctx, r.RefundID, *m.Tracking)
	switch refundbot.ErrorCode(err) {
	case "":
		s.State = refundbot.StateFiled
		return say(s, textTrackingSubmitted(updated, *m.Tracking)), nil
	case refundbot.EINVALIDSTATE:
		s.State = refundbot.StateFiled
		return say(s, textNoReturnNeeded), nil
	case refundbot.EINVALID:
		s.State = refundbot.StateAwaitingTracking
		return say(s, textTrackingMalformed), nil
	}
	s.State = refundbot.StateAwaitingTracking
	return say(s, textPlatformBusy), nil
}

// stepAwaitingTracking waits for the carrier and tracking number of a
// return; a message that only looks like one is asked again.
func (b *Bot) stepAwaitingTracking(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	if m.Tracking != nil {
		return b.tracking(ctx, s, m)
	}
	if m.Intent == refundbot.IntentLogistics || (m.Intent == refundbot.IntentOther && hasDigits(m.text)) {
		return say(s, textTrackingMalformed), nil
	}
	return b.stepIdle(ctx, s, m)
}

// askCancel asks the buyer to confirm cancelling a pending refund.
func (b *Bot) askCancel(ctx context.Context, s refundbot.Session, _ message) (Turn, error) {
	r, err := b.findRefund(ctx, s, cancellable)
	if err != nil {
		return say(s, textPlatformBusy), nil
	}
	if r == nil {
		return say(s, textNothingToCancel), nil
	}
	s.RefundID = r.RefundID
	s.State = refundbot.StateConfirmingCancel
	return say(s, textAskCancel(r)), nil
}

func cancellable(r *refundbot.Refund) bool {
	return r.Status == refundbot.StatusPendingMerchant || r.Status == refundbot.StatusAwaitingReturn
}

func (b *Bot) stepConfirmingCancel(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	switch {
	case m.Answer == refundbot.AnswerYes || m.Intent == refundbot.IntentCancel:
		s.State = refundbot.StateFiled
		r, err := b.Refunds.CancelRefund(ctx, s.RefundID)
		switch refundbot.ErrorCode(err) {
		case "":
			return say(s, textCancelled(r)), nil
		case refundbot.EINVALIDSTATE, refundbot.ENOTFOUND:
			return say(s, textCannotCancel), nil
		}
		s.State = refundbot.StateConfirmingCancel
		return say(s, textPlatformBusy), nil
	case m.Answer == refundbot.AnswerNo:
		s.State = refundbot.StateFiled
		return say(s, textKeepRefund), nil
	}
	s.State = refundbot.StateFiled
	return b.stepIdle(ctx, s, m)
}

// escalate offers platform intervention on a rejected refund; anything else
// goes to a person.
func (b *Bot) escalate(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	r, err := b.findRefund(ctx, s, func(r *refundbot.Refund) bool { return r.Status == refundbot.StatusRejected })
	if err != nil {
		return say(s, textPlatformBusy), nil
	}
	if r != nil {
		s.RefundID = r.RefundID
		s.State = refundbot.StateConfirmingIntervene
		return say(s, textOfferIntervention(r)), nil
	}
	pending, err := b.findRefund(ctx, s, func(r *refundbot.Refund) bool { return r.Status == refundbot.StatusPendingMerchant })
	if err == nil && pending != nil {
		return say(s, textMerchantPending(pending, b.Now())), nil
	}
	return b.handoff(s, handoffEscalate, textHandoffEscalate)
}

func (b *Bot) stepConfirmingIntervene(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	switch {
	case m.Answer == refundbot.AnswerYes || m.Intent == refundbot.IntentEscalate:
		s.State = refundbot.StateCollectingAppeal
		s.Appeal = refundbot.Intervention{}
		return say(s, textAskAppeal), nil
	case m.Answer == refundbot.AnswerNo:
		s.State = refundbot.StateFiled
		return say(s, textNoIntervention), nil
	}
	s.State = refundbot.StateFiled
	return b.stepIdle(ctx, s, m)
}

// stepCollectingAppeal gathers the statement and photos for intervention,
// then submits them on "提交".
func (b *Bot) stepCollectingAppeal(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	if m.media() {
		r, err := b.Refunds.FindRefund(ctx, s.RefundID)
		if err != nil {
			return say(s, textPlatformBusy), nil
		}
		tmp := refundbot.Session{Buyer: s.Buyer, Draft: refundbot.RefundDraft{OrderID: r.OrderID}}
		if n := b.uploadEvidence(ctx, &tmp, m.in.MediaID); n != "" {
			return say(s, n), nil
		}
		s.Appeal.EvidenceIDs = append(s.Appeal.EvidenceIDs, tmp.Draft.EvidenceIDs...)
		return say(s, textAppealEvidence(len(s.Appeal.EvidenceIDs))), nil
	}
	if m.Answer == refundbot.AnswerYes || m.Done {
		if s.Appeal.Description == "" {
			return say(s, textAppealNeedsStatement), nil
		}
		in := s.Appeal
		if in.EvidenceIDs == nil {
			in.EvidenceIDs = []string{}
		}
		r, err := b.Refunds.RequestIntervention(ctx, s.RefundID, in)
		switch refundbot.ErrorCode(err) {
		case "":
			s.State = refundbot.StateFiled
			s.Appeal = refundbot.Intervention{}
			return say(s, textIntervened(r)), nil
		case refundbot.EINVALIDSTATE:
			s.State = refundbot.StateFiled
			return say(s, textCannotIntervene), nil
		}
		return say(s, textPlatformBusy), nil
	}
	if m.Answer == refundbot.AnswerNo || m.Intent == refundbot.IntentCancel {
		s.State = refundbot.StateFiled
		s.Appeal = refundbot.Intervention{}
		return say(s, textNoIntervention), nil
	}
	s.Appeal.Description = clip(joinLines(s.Appeal.Description, m.text), 1000)
	return say(s, textAppealNoted), nil
}

// hasDigits reports whether s holds a number long enough to be meant as a
// tracking number.
func hasDigits(s string) bool {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n >= 3
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/refundbot/refundbot"
)

// Reminders nudges buyers whose refunds stall: a refund the merchant left
// unanswered for 48 hours, or an approved return with no tracking number
// after 3 days, gets one reminder each. Every instance runs the loop; a
// claim per minute lets one of them do the pass, and a claim per reminder
// makes each reminder go out once.
type Reminders struct {
	Refunds   refundbot.RefundService
	FollowUps refundbot.FollowUpStore
	Deduper   refundbot.Deduper
	Outbox    *Outbox
	Sessions  refundbot.SessionStore
	Now       func() time.Time
	Logger    *slog.Logger
}

// Thresholds of the reminders, from the platforms' rules.
const (
	merchantSilence = 48 * time.Hour
	returnGrace     = 72 * time.Hour
	// recheck is how often a followed refund is looked at again.
	recheck = 6 * time.Hour
)

// Watch starts following a refund the buyer just filed or heard about.
func (r *Reminders) Watch(ctx context.Context, rf *refundbot.Refund) error {
	next, ok := r.nextCheck(rf)
	if !ok {
		return r.FollowUps.Forget(ctx, rf.RefundID)
	}
	return r.FollowUps.Watch(ctx, refundbot.FollowUp{RefundID: rf.RefundID, Buyer: refundbot.BuyerID(rf.BuyerOpenID), NextAt: next})
}

// nextCheck is when a refund could next need a reminder, if ever.
func (r *Reminders) nextCheck(rf *refundbot.Refund) (time.Time, bool) {
	switch rf.Status {
	case refundbot.StatusPendingMerchant:
		return laterOf(rf.CreatedAt.Add(merchantSilence), r.Now()), true
	case refundbot.StatusAwaitingReturn:
		return laterOf(rf.UpdatedAt.Add(returnGrace), r.Now()), true
	case refundbot.StatusRefunded, refundbot.StatusClosed, refundbot.StatusCancelled:
		return time.Time{}, false
	}
	return r.Now().Add(recheck), true
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Loop runs a pass every interval until ctx ends.
func (r *Reminders) Loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := r.Pass(ctx, every); err != nil && ctx.Err() == nil {
			r.Logger.WarnContext(ctx, "reminder pass", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Pass sends the reminders that are due, if this instance wins the slot.
func (r *Reminders) Pass(ctx context.Context, slot time.Duration) error {
	now := r.Now()
	first, err := r.Deduper.Claim(ctx, fmt.Sprintf("reminders:%d", now.Truncate(slot).Unix()), 2*slot)
	if err != nil || !first {
		return err
	}
	due, err := r.FollowUps.Due(ctx, now, 200)
	if err != nil {
		return err
	}
	for _, f := range due {
		if err := r.check(ctx, f); err != nil {
			r.Logger.WarnContext(ctx, "follow up refund", "refund", f.RefundID, "err", err)
		}
	}
	return nil
}

func (r *Reminders) check(ctx context.Context, f refundbot.FollowUp) error {
	rf, err := r.Refunds.FindRefund(ctx, f.RefundID)
	if refundbot.ErrorCode(err) == refundbot.ENOTFOUND {
		return r.FollowUps.Forget(ctx, f.RefundID)
	}
	if err != nil {
		// Try again later rather than every pass.
		return r.FollowUps.Watch(ctx, refundbot.FollowUp{RefundID: f.RefundID, Buyer: f.Buyer, NextAt: r.Now().Add(time.Hour)})
	}
	now := r.Now()
	var kind, text string
	switch {
	case rf.Status == refundbot.StatusPendingMerchant && now.Sub(rf.CreatedAt) >= merchantSilence:
		kind, text = "merchant_silent", textRemindMerchantSilent(rf)
	case rf.Status == refundbot.StatusAwaitingReturn && rf.ReturnShipment == nil && now.Sub(rf.UpdatedAt) >= returnGrace:
		kind, text = "no_tracking", textRemindNoTracking(rf)
	}
	if kind != "" {
		first, err := r.Deduper.Claim(ctx, "remind:"+rf.RefundID+":"+kind, 90*24*time.Hour)
		if err != nil {
			return err
		}
		if first {
			s, err := r.Sessions.Get(ctx, refundbot.BuyerID(rf.BuyerOpenID))
			if err != nil {
				return err
			}
			s.Buyer = refundbot.BuyerID(rf.BuyerOpenID)
			r.Outbox.Deliver(ctx, s, text)
		}
		// One reminder per kind: look again only for what comes next.
		return r.FollowUps.Watch(ctx, refundbot.FollowUp{RefundID: rf.RefundID, Buyer: f.Buyer, NextAt: now.Add(recheck)})
	}
	return r.Watch(ctx, rf)
}

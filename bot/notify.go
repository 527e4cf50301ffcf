package bot

import "github.com/refundbot/refundbot"

// Notify turns a refund change reported by the platform into what the
// buyer should hear, and points the conversation at the next step (a
// tracking number after approval, intervention after a refusal). A buyer
// in the middle of something else keeps their place.
func (b *Bot) Notify(s refundbot.Session, r *refundbot.Refund) (refundbot.Session, string) {
	busy := s.State == refundbot.StateCollecting || s.State == refundbot.StateConfirming ||
		s.State == refundbot.StateHandoff || s.State == refundbot.StateCollectingAppeal
	if !busy {
		s.RefundID = r.RefundID
		switch r.Status {
		case refundbot.StatusAwaitingReturn:
			s.State = refundbot.StateAwaitingTracking
		case refundbot.StatusRejected:
			s.State = refundbot.StateConfirmingIntervene
		default:
			s.State = refundbot.StateFiled
		}
	}
	return s, textRefundUpdate(r, b.Now())
}

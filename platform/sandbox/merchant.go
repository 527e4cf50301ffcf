package sandbox

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform"
)

// Merchant actions, POST /sandbox/refunds/{refund_id}/{action}:
//
//	approve               pending_merchant → refunding (refund_only) or
//	                      approved_awaiting_return with return_address
//	reject {"note"}       pending_merchant, return_in_transit → rejected
//	receive               return_in_transit → refunding (exchange: closed,
//	                      the replacement is on its way)
//	refund                refunding → refunded
//	resolve-intervention {"outcome": "refund"|"reject", "note"}
//	                      under_intervention → as approve, or closed
//
// Each change is sent to the webhook as a refund.updated event.
type merchantRequest struct {
	Note          string             `json:"note"`
	Outcome       string             `json:"outcome"`
	ReturnAddress *refundbot.Address `json:"return_address"`
}

func (s *Sandbox) merchantAction(w http.ResponseWriter, r *http.Request) {
	var req merchantRequest
	if err := readOptionalJSON(w, r, &req); err != nil {
		writeErr(w, err)
		return
	}
	id := r.PathValue("refund_id")
	now := s.lock()
	defer s.mu.Unlock()
	var rf *refundbot.Refund
	var err *apiError
	switch action := r.PathValue("action"); action {
	case "approve":
		rf, err = s.transitionLocked(id, []refundbot.RefundStatus{refundbot.StatusPendingMerchant}, now, func(rf *refundbot.Refund) {
			s.approve(rf, req.ReturnAddress, req.Note)
		})
	case "reject":
		rf, err = s.transitionLocked(id, []refundbot.RefundStatus{refundbot.StatusPendingMerchant, refundbot.StatusReturnInTransit}, now, func(rf *refundbot.Refund) {
			rf.Status = refundbot.StatusRejected
			rf.MerchantNote = orDefault(req.Note, "商家拒绝了退款申请")
		})
	case "receive":
		rf, err = s.transitionLocked(id, []refundbot.RefundStatus{refundbot.StatusReturnInTransit}, now, func(rf *refundbot.Refund) {
			if rf.Type == refundbot.Exchange {
				rf.Status = refundbot.StatusClosed
				rf.MerchantNote = orDefault(req.Note, "已收到退货,换货商品已寄出")
				return
			}
			rf.Status = refundbot.StatusRefunding
			setNote(rf, req.Note)
		})
	case "refund":
		rf, err = s.transitionLocked(id, []refundbot.RefundStatus{refundbot.StatusRefunding}, now, func(rf *refundbot.Refund) {
			rf.Status = refundbot.StatusRefunded
			setNote(rf, req.Note)
		})
	case "resolve-intervention":
		switch req.Outcome {
		case "refund", "reject":
		default:
			writeError(w, http.StatusUnprocessableEntity, CodeInvalidRequest, `outcome must be "refund" or "reject"`)
			return
		}
		rf, err = s.transitionLocked(id, []refundbot.RefundStatus{refundbot.StatusUnderIntervention}, now, func(rf *refundbot.Refund) {
			if req.Outcome == "reject" {
				rf.Status = refundbot.StatusClosed
				rf.MerchantNote = orDefault(req.Note, "平台介入后维持商家的处理结果")
				return
			}
			if rf.ReturnShipment != nil {
				rf.Status = refundbot.StatusRefunding // the goods are already back
				setNote(rf, req.Note)
				return
			}
			s.approve(rf, req.ReturnAddress, orDefault(req.Note, "平台介入后支持买家"))
		})
	default:
		writeError(w, http.StatusNotFound, "not_found", "no such merchant action "+strconv.Quote(action))
		return
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	s.emitLocked(rf, now)
	writeJSON(w, http.StatusOK, rf)
}

// approve is the merchant's (or the platform's) yes: money back at once
// for a refund without return, else a return address to send goods to.
func (s *Sandbox) approve(rf *refundbot.Refund, addr *refundbot.Address, note string) {
	setNote(rf, note)
	if rf.Type == refundbot.RefundOnly {
		rf.Status = refundbot.StatusRefunding
		return
	}
	a := s.opts.ReturnAddress
	if addr != nil && *addr != (refundbot.Address{}) {
		a = *addr
	}
	rf.Status = refundbot.StatusAwaitingReturn
	rf.ReturnAddress = &a
}

// autoApproveLocked approves every refund the merchant left pending for
// AutoApproveAfter, as platforms do for a silent merchant. It applies to
// every type, not only refund_only: a return request left unanswered gets
// the default return address, so the buyer is never stuck. The change is
// dated at the deadline, when it would have happened with a timer.
func (s *Sandbox) autoApproveLocked(now time.Time) {
	for _, rf := range s.refunds {
		due := rf.CreatedAt.Add(s.opts.AutoApproveAfter)
		if rf.Status != refundbot.StatusPendingMerchant || now.Before(due) {
			continue
		}
		s.approve(rf, nil, "商家超时未处理,系统自动同意")
		rf.UpdatedAt = due
		s.emitLocked(cloneRefund(rf), now)
	}
}

func setNote(rf *refundbot.Refund, note string) {
	if note != "" {
		rf.MerchantNote = note
	}
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// emitLocked queues a refund.updated event for the webhook. Ids are
// assigned here, under the mutex, so they follow the order of changes.
func (s *Sandbox) emitLocked(rf *refundbot.Refund, now time.Time) {
	if s.deliveries == nil {
		return
	}
	s.eventSeq++
	s.deliveries.enqueue(platform.Event{
		EventID:   "evt_" + strconv.Itoa(s.eventSeq),
		Type:      platform.EventRefundUpdated,
		CreatedAt: now,
		Refund:    *rf,
	})
}

// putOrders adds or replaces orders: a JSON array of orders, a single
// order, or {"orders": [...]}.
func (s *Sandbox) putOrders(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, CodeInvalidRequest, "body over 1 MiB")
			return
		}
		writeError(w, http.StatusUnprocessableEntity, CodeInvalidRequest, err.Error())
		return
	}
	orders, err := ParseOrders(body)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, CodeInvalidRequest, err.Error())
		return
	}
	s.AddOrders(orders...)
	writeJSON(w, http.StatusOK, map[string]any{"orders": len(orders)})
}

func (s *Sandbox) allOrders(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"orders": s.Orders()})
}

func (s *Sandbox) allRefunds(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"refunds": s.Refunds()})
}

package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform"
)

func (s *Sandbox) postRefund(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 255 {
		writeError(w, http.StatusUnprocessableEntity, CodeInvalidRequest, "header Idempotency-Key is required (at most 255 bytes)")
		return
	}
	var req refundbot.RefundRequest
	if err := readJSON(w, r, &req); err != nil {
		writeErr(w, err)
		return
	}
	now := s.lock()
	defer s.mu.Unlock()
	// The whole check-and-create runs under the mutex, so two identical
	// requests racing each other still create one refund.
	fp := fingerprint(req)
	if seen, ok := s.keys[key]; ok {
		if seen.fingerprint != fp {
			writeError(w, http.StatusUnprocessableEntity, CodeIdempotencyKeyReused, "Idempotency-Key was used for a different request")
			return
		}
		writeJSON(w, http.StatusOK, s.refunds[seen.refundID])
		return
	}
	if err := s.checkRefundLocked(req, now); err != nil {
		writeErr(w, err)
		return
	}
	s.refundSeq++
	rf := &refundbot.Refund{
		RefundID:    fmt.Sprintf("RF%08d", s.refundSeq),
		OrderID:     req.OrderID,
		BuyerOpenID: req.BuyerOpenID,
		Type:        req.Type,
		Reason:      req.Reason,
		Description: req.Description,
		Amount:      req.Amount,
		EvidenceIDs: append([]string{}, req.EvidenceIDs...),
		Status:      refundbot.StatusPendingMerchant,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	s.refunds[rf.RefundID] = rf
	// Failed requests leave no trace under their key: once the buyer fixes
	// what was wrong, the same key may succeed.
	s.keys[key] = idempotent{fingerprint: fp, refundID: rf.RefundID}
	writeJSON(w, http.StatusCreated, rf)
}

// fingerprint identifies a request's content, to tell a retry from a
// different request under a reused key.
func fingerprint(req refundbot.RefundRequest) string {
	if req.EvidenceIDs == nil {
		req.EvidenceIDs = []string{} // null and [] are the same request
	}
	b, _ := json.Marshal(req) // a struct of strings and ints always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkRefundLocked applies the platform's rules, in the order a shop
// would: who and what first, then whether one is already open, then the
// money, then whether these goods can be refunded now.
func (s *Sandbox) checkRefundLocked(req refundbot.RefundRequest, now time.Time) *apiError {
	o, ok := s.orders[req.OrderID]
	// Another buyer's order is answered exactly like a missing one.
	if !ok || req.BuyerOpenID == "" || o.BuyerOpenID != req.BuyerOpenID {
		return refuse(http.StatusNotFound, platform.CodeOrderNotFound, "no such order")
	}
	if !req.Type.Valid() {
		return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "type %q is not one of refund_only, return_refund, exchange", req.Type)
	}
	if !req.Reason.Valid() {
		return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "reason %q is not a contract reason", req.Reason)
	}
	for _, id := range req.EvidenceIDs {
		if ev, ok := s.evidence[id]; !ok || ev.orderID != req.OrderID {
			return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "evidence %q was not uploaded for this order", id)
		}
	}
	for _, rf := range s.refunds {
		if rf.OrderID == req.OrderID && rf.Status.Open() {
			e := refuse(http.StatusConflict, platform.CodeRefundExists, "order already has refund %s (%s)", rf.RefundID, rf.Status)
			e.refundID = rf.RefundID
			return e
		}
	}
	if err := checkAmount(req, o, s.refundedLocked(o.OrderID)); err != nil {
		return err
	}
	return s.checkRefundable(req, o, now)
}

func checkAmount(req refundbot.RefundRequest, o *refundbot.Order, refunded refundbot.Fen) *apiError {
	if req.Type == refundbot.Exchange {
		if req.Amount != 0 {
			return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "an exchange has amount 0, got %d", req.Amount)
		}
		return nil
	}
	if req.Amount <= 0 {
		return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "amount must be positive fen, got %d", req.Amount)
	}
	if left := o.PaidAmount - refunded; req.Amount > left {
		return refuse(http.StatusUnprocessableEntity, platform.CodeAmountExceedsPaid,
			"amount %s exceeds the %s left of %s paid", req.Amount.Yuan(), left.Yuan(), o.PaidAmount.Yuan())
	}
	return nil
}

// refundedLocked is what earlier refunds of the order already paid back.
func (s *Sandbox) refundedLocked(orderID string) refundbot.Fen {
	var sum refundbot.Fen
	for _, rf := range s.refunds {
		if rf.OrderID == orderID && rf.Status == refundbot.StatusRefunded {
			sum += rf.Amount
		}
	}
	return sum
}

func (s *Sandbox) checkRefundable(req refundbot.RefundRequest, o *refundbot.Order, now time.Time) *apiError {
	notRefundable := func(format string, args ...any) *apiError {
		return refuse(http.StatusUnprocessableEntity, platform.CodeNotRefundable, format, args...)
	}
	switch o.Status {
	case refundbot.OrderPaid, refundbot.OrderShipped:
		// Nothing arrived: there is nothing to send back or swap.
		if req.Type != refundbot.RefundOnly {
			return notRefundable("order is %s: only refund_only before delivery", o.Status)
		}
	case refundbot.OrderDelivered, refundbot.OrderCompleted:
	default:
		return notRefundable("order is %s", o.Status)
	}
	for _, it := range o.Items {
		if !it.Refundable {
			return notRefundable("item %s cannot be refunded through after-sales", it.SKUID)
		}
		switch strings.ToLower(it.Category) {
		case refundbot.CategoryCustom, refundbot.CategoryVirtual, refundbot.CategoryFresh:
			if !req.Reason.Fault() {
				return notRefundable("%s goods have no no-reason return; reason %s names no fault", it.Category, req.Reason)
			}
		}
	}
	if o.DeliveredAt != nil && now.Sub(*o.DeliveredAt) > s.opts.ReturnWindow {
		return refuse(http.StatusUnprocessableEntity, platform.CodeOutsideWindow,
			"delivered %s, after-sales window is %s", o.DeliveredAt.Format(time.RFC3339), s.opts.ReturnWindow)
	}
	return nil
}

func (s *Sandbox) getRefund(w http.ResponseWriter, r *http.Request) {
	s.lock()
	defer s.mu.Unlock()
	rf, ok := s.refunds[r.PathValue("refund_id")]
	if !ok {
		writeError(w, http.StatusNotFound, platform.CodeRefundNotFound, "no such refund")
		return
	}
	writeJSON(w, http.StatusOK, rf)
}

func (s *Sandbox) listRefunds(w http.ResponseWriter, r *http.Request) {
	buyer, order := r.URL.Query().Get("buyer_openid"), r.URL.Query().Get("order_id")
	s.lock()
	defer s.mu.Unlock()
	list := s.refundsLocked(func(rf *refundbot.Refund) bool {
		return (buyer == "" || rf.BuyerOpenID == buyer) && (order == "" || rf.OrderID == order)
	})
	writeJSON(w, http.StatusOK, map[string]any{"refunds": list})
}

// Buyer actions: each moves a refund along one edge of the state machine
// and answers invalid_state from any other status. They emit no event: the
// bot made the change and already knows.

func (s *Sandbox) postReturnShipment(w http.ResponseWriter, r *http.Request) {
	var sh refundbot.Shipment
	if err := readJSON(w, r, &sh); err != nil {
		writeErr(w, err)
		return
	}
	sh.Carrier, sh.TrackingNo = strings.TrimSpace(sh.Carrier), strings.TrimSpace(sh.TrackingNo)
	if sh.Carrier == "" || sh.TrackingNo == "" {
		writeError(w, http.StatusUnprocessableEntity, CodeInvalidRequest, "carrier and tracking_no are required")
		return
	}
	s.buyerAction(w, r, []refundbot.RefundStatus{refundbot.StatusAwaitingReturn}, func(rf *refundbot.Refund) {
		rf.Status = refundbot.StatusReturnInTransit
		rf.ReturnShipment = &sh
	})
}

func (s *Sandbox) postIntervention(w http.ResponseWriter, r *http.Request) {
	var in refundbot.Intervention
	if err := readJSON(w, r, &in); err != nil {
		writeErr(w, err)
		return
	}
	s.buyerAction(w, r, []refundbot.RefundStatus{refundbot.StatusRejected}, func(rf *refundbot.Refund) {
		rf.Status = refundbot.StatusUnderIntervention
		// The appeal's evidence joins the refund's, for the arbiter to see.
		rf.EvidenceIDs = append(rf.EvidenceIDs, in.EvidenceIDs...)
	})
}

func (s *Sandbox) postCancel(w http.ResponseWriter, r *http.Request) {
	s.buyerAction(w, r, []refundbot.RefundStatus{refundbot.StatusPendingMerchant, refundbot.StatusAwaitingReturn}, func(rf *refundbot.Refund) {
		rf.Status = refundbot.StatusCancelled
	})
}

func (s *Sandbox) buyerAction(w http.ResponseWriter, r *http.Request, from []refundbot.RefundStatus, apply func(*refundbot.Refund)) {
	now := s.lock()
	defer s.mu.Unlock()
	rf, err := s.transitionLocked(r.PathValue("refund_id"), from, now, apply)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rf)
}

// transitionLocked applies a change to the refund if its status is one of
// from, and returns a copy of the result.
func (s *Sandbox) transitionLocked(id string, from []refundbot.RefundStatus, now time.Time, apply func(*refundbot.Refund)) (*refundbot.Refund, *apiError) {
	rf, ok := s.refunds[id]
	if !ok {
		return nil, refuse(http.StatusNotFound, platform.CodeRefundNotFound, "no such refund")
	}
	allowed := false
	for _, st := range from {
		allowed = allowed || rf.Status == st
	}
	if !allowed {
		return nil, refuse(http.StatusUnprocessableEntity, platform.CodeInvalidState, "refund %s is %s; this needs %s", id, rf.Status, joinStatuses(from))
	}
	apply(rf)
	rf.UpdatedAt = now
	return cloneRefund(rf), nil
}

func joinStatuses(ss []refundbot.RefundStatus) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, " or ")
}

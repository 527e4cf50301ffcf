package handlers

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform"
)

// eventDedupeTTL outlasts any platform's redelivery schedule.
const eventDedupeTTL = 7 * 24 * time.Hour

// forgetter is implemented by dedupers that can drop a claim, so an event
// that failed before it was recorded is accepted again on redelivery.
type forgetter interface {
	Forget(ctx context.Context, key string) error
}

// platformEvent receives a refund change from the merchant platform: the
// signature and timestamp are checked, the event is processed once, and the
// buyer is told. 2xx only after the buyer's session holds the change.
func (s *Server) platformEvent(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "body too large")
	}
	h := c.Request().Header
	if err := platform.VerifyEvent(s.EventSecret, h.Get(platform.HeaderTimestamp), h.Get(platform.HeaderSignature), body, s.Now(), platform.DefaultMaxSkew); err != nil {
		s.metrics.events.WithLabelValues("refused").Inc()
		return err
	}
	var ev platform.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return refundbot.Errorf(refundbot.EINVALID, "event: %v", err)
	}
	if ev.EventID == "" || ev.Refund.RefundID == "" || ev.Refund.BuyerOpenID == "" {
		return refundbot.Errorf(refundbot.EINVALID, "event: event_id, refund.refund_id and refund.buyer_openid are required")
	}
	ctx := c.Request().Context()
	key := "evt:" + ev.EventID
	first, err := s.Deduper.Claim(ctx, key, eventDedupeTTL)
	if err != nil {
		return refundbot.Errorf(refundbot.EUNAVAILABLE, "dedupe: %v", err)
	}
	if !first {
		s.metrics.events.WithLabelValues("duplicate").Inc()
		return c.JSON(http.StatusOK, map[string]string{"status": "duplicate"})
	}
	if ev.Type != platform.EventRefundUpdated {
		s.metrics.events.WithLabelValues("ignored").Inc()
		return c.JSON(http.StatusOK, map[string]string{"status": "ignored"})
	}
	text, session, err := s.Conversations.Notify(ctx, &ev.Refund)
	if err != nil {
		if f, ok := s.Deduper.(forgetter); ok {
			_ = f.Forget(context.WithoutCancel(ctx), key)
		}
		s.metrics.events.WithLabelValues("error").Inc()
		return err
	}
	s.metrics.events.WithLabelValues("accepted").Inc()
	// Accepted: telling the buyer must not hold up the platform.
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
		defer cancel()
		s.Outbox.Deliver(dctx, session, text)
	}()
	return c.JSON(http.StatusOK, map[string]string{"status": "accepted"})
}

package handlers

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/classify"
)

type classifyRequest struct {
	Text string `json:"text"`
}

type classifyResponse struct {
	Intent     refundbot.Intent `json:"intent"`
	Reason     *string          `json:"reason"`
	RefundType *string          `json:"refund_type"`
	OrderID    *string          `json:"order_id"`
	Confidence float64          `json:"confidence"`
	Source     string           `json:"source"`
}

// classify labels one text as the bot would read it at the start of a
// conversation (POST /api/v1/classify).
func (s *Server) classify(c echo.Context) error {
	var req classifyRequest
	if err := c.Bind(&req); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "body must be JSON {\"text\": \"...\"}")
	}
	req.Text = strings.TrimSpace(req.Text)
	if req.Text == "" {
		return refundbot.Errorf(refundbot.EINVALID, "text is required")
	}
	if utf8.RuneCountInString(req.Text) > 2000 {
		return refundbot.Errorf(refundbot.EINVALID, "text is longer than 2000 characters")
	}
	u, err := s.Classifier.Classify(c.Request().Context(), refundbot.ClassifyInput{Text: req.Text, State: refundbot.StateIdle})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, classifyResponse{
		Intent:     u.Intent,
		Reason:     optional(string(u.Reason)),
		RefundType: optional(string(u.RefundType)),
		// As the buyer wrote it; the bot itself works with u.OrderID.
		OrderID:    optional(classify.WrittenOrderID(req.Text, u.OrderID)),
		Confidence: u.Confidence,
		Source:     u.Source,
	})
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
)

// The support API: the queue of conversations people took over from the
// bot, their transcripts, replies and release. Every action leaves an audit
// note with who and when.

type collectedJSON struct {
	OrderID       string `json:"order_id"`
	OrderTitle    string `json:"order_title,omitempty"`
	PaidAmount    int64  `json:"paid_amount"`
	Type          string `json:"type"`
	Reason        string `json:"reason"`
	Description   string `json:"description,omitempty"`
	Amount        int64  `json:"amount"`
	EvidenceCount int    `json:"evidence_count"`
}

type handoffJSON struct {
	ID         string                     `json:"id"`
	OpenID     string                     `json:"openid"`
	Status     refundbot.HandoffStatus    `json:"status"`
	Reason     string                     `json:"reason"`
	Agent      string                     `json:"agent,omitempty"`
	CreatedAt  time.Time                  `json:"created_at"`
	UpdatedAt  time.Time                  `json:"updated_at"`
	Collected  collectedJSON              `json:"collected"`
	Notes      []refundbot.Note           `json:"notes,omitempty"`
	Transcript []refundbot.TranscriptLine `json:"transcript,omitempty"`
}

func toHandoffJSON(h refundbot.Handoff) handoffJSON {
	d := h.Collected
	return handoffJSON{
		ID: h.ID, OpenID: string(h.Buyer), Status: h.Status, Reason: h.Reason, Agent: h.Agent,
		CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt, Notes: h.Notes,
		Collected: collectedJSON{
			OrderID: d.OrderID, OrderTitle: d.OrderTitle, PaidAmount: int64(d.PaidAmount),
			Type: string(d.Type), Reason: string(d.Reason), Description: d.Description,
			Amount: int64(d.Amount), EvidenceCount: len(d.EvidenceIDs) + len(d.PendingMedia),
		},
	}
}

func (s *Server) handoffRoutes(g *echo.Group) {
	g.GET("", s.listHandoffs)
	g.GET("/:id", s.getHandoff)
	g.POST("/:id/claim", s.claimHandoff)
	g.POST("/:id/reply", s.replyHandoff)
	g.POST("/:id/note", s.noteHandoff)
	g.POST("/:id/release", s.releaseHandoff)
	g.POST("/:id/resolve", s.resolveHandoff)
}

// listHandoffs answers ?status=waiting|active|closed and ?mine=1.
func (s *Server) listHandoffs(c echo.Context) error {
	status := refundbot.HandoffStatus(c.QueryParam("status"))
	switch status {
	case "", refundbot.HandoffWaiting, refundbot.HandoffActive, refundbot.HandoffClosed:
	default:
		return refundbot.Errorf(refundbot.EINVALID, "status must be waiting, active or closed")
	}
	hs, err := s.Handoffs.List(c.Request().Context(), status)
	if err != nil {
		return err
	}
	mine := c.QueryParam("mine") == "1" || c.QueryParam("mine") == "true"
	out := make([]handoffJSON, 0, len(hs))
	for _, h := range hs {
		if mine && h.Agent != actor(c) {
			continue
		}
		out = append(out, toHandoffJSON(h))
	}
	return c.JSON(http.StatusOK, map[string]any{"handoffs": out})
}

func (s *Server) getHandoff(c echo.Context) error {
	ctx := c.Request().Context()
	h, err := s.Handoffs.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	out := toHandoffJSON(h)
	lines, err := s.Conversations.Transcripts.Lines(ctx, h.Buyer, 200)
	if err != nil {
		return err
	}
	out.Transcript = lines
	if out.Transcript == nil {
		out.Transcript = []refundbot.TranscriptLine{}
	}
	return c.JSON(http.StatusOK, out)
}

type textRequest struct {
	Text string `json:"text"`
}

func bindText(c echo.Context) (string, error) {
	var req textRequest
	if err := c.Bind(&req); err != nil {
		return "", echo.NewHTTPError(http.StatusBadRequest, "body must be JSON {\"text\": \"...\"}")
	}
	t := strings.TrimSpace(req.Text)
	if t == "" {
		return "", refundbot.Errorf(refundbot.EINVALID, "text is required")
	}
	if utf8.RuneCountInString(t) > 600 {
		// WeChat's customer-service text limit is about 2048 bytes.
		return "", refundbot.Errorf(refundbot.EINVALID, "text is longer than 600 characters")
	}
	return t, nil
}

// update loads a handoff, applies change with an audit note, and stores it.
func (s *Server) update(c echo.Context, audit string, change func(*refundbot.Handoff) error) (refundbot.Handoff, error) {
	ctx := c.Request().Context()
	h, err := s.Handoffs.Get(ctx, c.Param("id"))
	if err != nil {
		return h, err
	}
	if err := change(&h); err != nil {
		return h, err
	}
	now := s.Now()
	h.UpdatedAt = now
	if audit != "" {
		h.Notes = append(h.Notes, refundbot.Note{By: actor(c), Text: audit, At: now})
	}
	return h, s.Handoffs.Update(ctx, h)
}

func (s *Server) claimHandoff(c echo.Context) error {
	h, err := s.update(c, "认领", func(h *refundbot.Handoff) error {
		if h.Status == refundbot.HandoffClosed {
			return refundbot.Errorf(refundbot.EINVALIDSTATE, "handoff is closed")
		}
		if h.Status == refundbot.HandoffActive && h.Agent != actor(c) {
			return refundbot.Errorf(refundbot.ECONFLICT, "handoff is claimed by %s", h.Agent)
		}
		h.Status, h.Agent = refundbot.HandoffActive, actor(c)
		return nil
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toHandoffJSON(h))
}

// replyHandoff sends an agent's text to the buyer through the
// customer-service API. A closed 48-hour window or spent quota is an error
// the agent sees, and the transcript keeps the undelivered text.
func (s *Server) replyHandoff(c echo.Context) error {
	text, err := bindText(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	h, err := s.Handoffs.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if h.Status == refundbot.HandoffClosed {
		return refundbot.Errorf(refundbot.EINVALIDSTATE, "handoff is closed; the bot has the conversation")
	}
	if sendErr := s.Sender.Send(ctx, h.Buyer, text); sendErr != nil {
		s.Conversations.Record(ctx, h.Buyer, refundbot.FromAgent, text, "未送达:"+refundbot.ErrorCode(sendErr))
		switch refundbot.ErrorCode(sendErr) {
		case refundbot.EFORBIDDEN:
			return refundbot.Errorf(refundbot.EFORBIDDEN, "买家超过48小时未发消息,微信不允许再发送客服消息")
		case refundbot.ERATELIMITED:
			return refundbot.Errorf(refundbot.ERATELIMITED, "客服消息已达上限,需等待买家再次发消息")
		}
		return refundbot.Errorf(refundbot.EUNAVAILABLE, "消息发送失败,请稍后重试")
	}
	s.Conversations.Record(ctx, h.Buyer, refundbot.FromAgent, text, "")
	h, err = s.update(c, "", func(h *refundbot.Handoff) error {
		if h.Status == refundbot.HandoffWaiting {
			h.Status, h.Agent = refundbot.HandoffActive, actor(c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "sent", "handoff": toHandoffJSON(h)})
}

func (s *Server) noteHandoff(c echo.Context) error {
	text, err := bindText(c)
	if err != nil {
		return err
	}
	h, err := s.update(c, "备注:"+text, func(*refundbot.Handoff) error { return nil })
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toHandoffJSON(h))
}

// releaseHandoff gives the conversation back to the bot; resolve does the
// same and marks the case done.
func (s *Server) releaseHandoff(c echo.Context) error { return s.close(c, "交还机器人") }

func (s *Server) resolveHandoff(c echo.Context) error { return s.close(c, "已解决") }

func (s *Server) close(c echo.Context, audit string) error {
	ctx := c.Request().Context()
	h, err := s.update(c, audit, func(h *refundbot.Handoff) error {
		if h.Status == refundbot.HandoffClosed {
			return refundbot.Errorf(refundbot.EINVALIDSTATE, "handoff is already closed")
		}
		now := s.Now()
		h.Status, h.ClosedAt = refundbot.HandoffClosed, &now
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.Conversations.Release(ctx, h.Buyer); err != nil {
		return err
	}
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
		defer cancel()
		s.deliver(dctx, h.Buyer, textBackToBot)
		s.Conversations.Record(dctx, h.Buyer, refundbot.FromBot, textBackToBot, "")
	}()
	return c.JSON(http.StatusOK, toHandoffJSON(h))
}

const textBackToBot = "人工客服已结束本次服务,售后小助手继续为您服务。还需要退款、查进度,直接告诉我就行。"

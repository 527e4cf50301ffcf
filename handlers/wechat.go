package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/wechat"
)

// dedupeTTL covers WeChat's three retries (about 15 s) with a wide margin.
const dedupeTTL = 10 * time.Minute

// turnTimeout bounds one buyer message end to end, the async part included.
const turnTimeout = 30 * time.Second

// textSystemError is what a buyer reads when the bot itself failed.
const textSystemError = "抱歉,系统开小差了,这条消息没能处理,请稍后再发一次。已经填写的信息都还在。"

func (s *Server) verifyWeChat(c echo.Context) error {
	s.Webhook.Verify(c.Response(), c.Request())
	return nil
}

// wechatMessage answers one push. WeChat waits 5 s for a passive reply and
// then retries the same message, so: claim the message once across
// instances, answer passively when the bot is done in time, otherwise answer
// "success" and send the reply as a customer-service message when ready.
func (s *Server) wechatMessage(c echo.Context) error {
	msg, err := s.Webhook.Parse(c.Request())
	if err != nil {
		s.metrics.messages.WithLabelValues("unknown", "refused").Inc()
		if refundbot.ErrorCode(err) == refundbot.EINVALID {
			// Not a WeChat message at all: a bad request, not a bad entity.
			return echo.NewHTTPError(http.StatusBadRequest, refundbot.ErrorMessage(err))
		}
		return err
	}
	in := msg.Inbound()
	kind := string(in.Kind)
	ctx := c.Request().Context()

	first, err := s.Deduper.Claim(ctx, "wx:"+msg.DedupeKey(), dedupeTTL)
	if err != nil {
		return refundbot.Errorf(refundbot.EUNAVAILABLE, "dedupe: %v", err)
	}
	if !first {
		// The first delivery owns the reply; a retry must not run the
		// conversation again.
		s.metrics.messages.WithLabelValues(kind, "duplicate").Inc()
		s.Webhook.WriteSuccess(c.Response())
		return nil
	}

	start := s.Now()
	result := make(chan []refundbot.Reply, 1) // buffered: the turn never blocks
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		// The turn outlives the request when it misses the deadline.
		tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
		defer cancel()
		replies, err := s.Conversations.Handle(tctx, in)
		s.metrics.turn.Observe(s.Now().Sub(start).Seconds())
		if err != nil {
			s.Logger.ErrorContext(tctx, "handle message", "buyer", in.Buyer.Masked(), "msg_id", in.MsgID, "err", err)
			replies = []refundbot.Reply{{Text: textSystemError}}
		}
		result <- replies
	}()

	timer := time.NewTimer(s.PassiveDeadline)
	defer timer.Stop()
	select {
	case replies := <-result:
		s.metrics.messages.WithLabelValues(kind, "passive").Inc()
		return s.writePassive(c, msg, replies)
	case <-timer.C:
		s.metrics.messages.WithLabelValues(kind, "async").Inc()
		s.inflight.Add(1)
		go func() {
			defer s.inflight.Done()
			replies := <-result
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
			defer cancel()
			s.sendAsync(sctx, in.Buyer, replies)
		}()
		s.Webhook.WriteSuccess(c.Response())
		return nil
	}
}

// writePassive answers in the HTTP response: one text, or a transfer to
// WeChat's customer service with the text sent separately (a passive
// reply holds one message).
func (s *Server) writePassive(c echo.Context, msg *wechat.Message, replies []refundbot.Reply) error {
	var text string
	transfer := false
	for _, r := range replies {
		if r.Transfer {
			transfer = true
		}
		if r.Text != "" && text == "" {
			text = r.Text
		}
	}
	if transfer {
		if text != "" {
			s.inflight.Add(1)
			go func() {
				defer s.inflight.Done()
				ctx, cancel := context.WithTimeout(context.Background(), turnTimeout)
				defer cancel()
				s.deliver(ctx, refundbot.BuyerID(msg.FromUser), text)
			}()
		}
		return s.Webhook.WriteReply(c.Response(), c.Request(), msg, wechat.Reply{Transfer: true, KfAccount: s.KfAccount})
	}
	return s.Webhook.WriteReply(c.Response(), c.Request(), msg, wechat.Reply{Text: text})
}

// sendAsync delivers late replies as one customer-service message: WeChat
// allows five per buyer message, and one reads better anyway.
func (s *Server) sendAsync(ctx context.Context, buyer refundbot.BuyerID, replies []refundbot.Reply) {
	var text string
	for _, r := range replies {
		if r.Text != "" {
			if text != "" {
				text += "\n"
			}
			text += r.Text
		}
	}
	if text != "" {
		s.deliver(ctx, buyer, text)
	}
}

// deliver sends a message outside a passive reply and records when it
// could not be delivered, so support sees it.
func (s *Server) deliver(ctx context.Context, buyer refundbot.BuyerID, text string) {
	err := s.Sender.Send(ctx, buyer, text)
	if err == nil {
		s.metrics.sends.WithLabelValues("sent").Inc()
		return
	}
	s.metrics.sends.WithLabelValues(refundbot.ErrorCode(err)).Inc()
	s.Logger.WarnContext(ctx, "customer-service send failed", "buyer", buyer.Masked(), "err", err)
	s.Conversations.Record(ctx, buyer, refundbot.FromSystem, text, "未送达:"+refundbot.ErrorCode(err))
}

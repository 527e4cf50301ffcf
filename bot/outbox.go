package bot

import (
	"context"
	"time"

	"github.com/refundbot/refundbot"
)

// ServiceWindow is how long after a buyer's last message WeChat accepts
// customer-service messages to them.
const ServiceWindow = 48 * time.Hour

// Outbox delivers messages the bot starts itself (refund updates,
// reminders): a customer-service message inside WeChat's 48-hour window, a
// template message outside it, and a transcript record for support when
// neither reaches the buyer.
type Outbox struct {
	Sender refundbot.Sender
	// Templates is optional; without it notices outside the window are
	// only recorded.
	Templates interface {
		SendTemplate(ctx context.Context, buyer refundbot.BuyerID, text string) error
	}
	Conversations *Conversations
	// Handoffs, if set, gets a waiting case for every notice that reached
	// nobody, so support can follow up by other means.
	Handoffs refundbot.HandoffStore
	// Observe, if set, counts outcomes: sent, template, undeliverable or
	// an error code.
	Observe func(outcome string)
}

// Deliver sends text to the buyer of s and reports how it went.
func (o *Outbox) Deliver(ctx context.Context, s refundbot.Session, text string) string {
	now := o.Conversations.Bot.Now()
	inWindow := !s.LastInboundAt.IsZero() && now.Sub(s.LastInboundAt) < ServiceWindow
	outcome := o.deliver(ctx, s.Buyer, text, inWindow)
	if o.Observe != nil {
		o.Observe(outcome)
	}
	undelivered := ""
	switch outcome {
	case "sent", "template":
	case "undeliverable":
		undelivered = "未送达:超出48小时客服消息窗口"
	default:
		undelivered = "未送达:" + outcome
	}
	o.Conversations.Record(ctx, s.Buyer, refundbot.FromBot, text, undelivered)
	if undelivered != "" && o.Handoffs != nil {
		_, err := o.Handoffs.Create(ctx, refundbot.Handoff{
			Buyer: s.Buyer, Status: refundbot.HandoffWaiting, Reason: "通知未送达,请人工联系买家",
			Collected: s.Draft, CreatedAt: now, UpdatedAt: now,
		})
		if err != nil {
			o.Conversations.logger().WarnContext(ctx, "record undelivered notice", "buyer", s.Buyer.Masked(), "err", err)
		}
	}
	return outcome
}

func (o *Outbox) deliver(ctx context.Context, buyer refundbot.BuyerID, text string, inWindow bool) string {
	if inWindow {
		err := o.Sender.Send(ctx, buyer, text)
		if err == nil {
			return "sent"
		}
		if code := refundbot.ErrorCode(err); code != refundbot.EFORBIDDEN {
			return code
		}
	}
	if o.Templates != nil {
		if err := o.Templates.SendTemplate(ctx, buyer, text); err == nil {
			return "template"
		}
	}
	return "undeliverable"
}

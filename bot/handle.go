package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/refundbot/refundbot"
)

// Conversations runs the Bot over stored sessions: one buyer's messages one
// at a time, the transcript kept, handoffs opened. It is the only place in
// the package that stores anything.
type Conversations struct {
	Bot         *Bot
	Sessions    refundbot.SessionStore
	Transcripts refundbot.TranscriptStore
	Handoffs    refundbot.HandoffStore
	// Unanswered, if set, learns the questions the knowledge base could
	// not answer, so operators know what to add.
	Unanswered interface {
		RecordUnanswered(ctx context.Context, question string) error
	}
	// Reminders, if set, follows every refund filed or updated so a
	// stalled one gets a reminder.
	Reminders *Reminders
	// HandoffTimeout gives a waiting handoff back to the bot when no person
	// picked it up; 0 = never.
	HandoffTimeout time.Duration
	Logger         *slog.Logger
}

// Handle runs one inbound message and returns the replies to send.
func (c *Conversations) Handle(ctx context.Context, in refundbot.Inbound) ([]refundbot.Reply, error) {
	unlock, err := c.Sessions.Lock(ctx, in.Buyer)
	if err != nil {
		return nil, fmt.Errorf("bot: lock buyer: %w", err)
	}
	defer unlock()

	s, err := c.Sessions.Get(ctx, in.Buyer)
	if err != nil {
		return nil, fmt.Errorf("bot: load session: %w", err)
	}
	s.Buyer = in.Buyer
	c.record(ctx, in.Buyer, refundbot.FromBuyer, buyerLine(in))

	var resumed []refundbot.Reply
	if s.State == refundbot.StateHandoff {
		if s, resumed, err = c.resumeIfOver(ctx, s); err != nil {
			return nil, err
		}
	}

	t, err := c.Bot.Step(ctx, s, in)
	if err != nil {
		return nil, err
	}
	if t.Handoff != "" && !c.Bot.Policy.TransferToWeChat {
		h, err := c.Handoffs.Create(ctx, refundbot.Handoff{
			Buyer: in.Buyer, Status: refundbot.HandoffWaiting, Reason: t.Handoff,
			Collected: t.Session.Draft, CreatedAt: c.Bot.Now(), UpdatedAt: c.Bot.Now(),
		})
		if err != nil {
			return nil, fmt.Errorf("bot: open handoff: %w", err)
		}
		t.Session.HandoffID = h.ID
		t.Session.HandoffAt = c.Bot.Now()
	}
	if _, err := c.Sessions.Put(ctx, t.Session); err != nil {
		return nil, fmt.Errorf("bot: save session: %w", err)
	}
	if id := t.Session.RefundID; id != "" && id != s.RefundID && t.Session.State == refundbot.StateFiled && c.Reminders != nil {
		f := refundbot.FollowUp{RefundID: id, Buyer: in.Buyer, NextAt: c.Bot.Now().Add(merchantSilence)}
		if err := c.Reminders.FollowUps.Watch(ctx, f); err != nil {
			c.logger().WarnContext(ctx, "follow refund", "refund", id, "err", err)
		}
	}
	if t.Unanswered != "" && c.Unanswered != nil {
		if err := c.Unanswered.RecordUnanswered(ctx, t.Unanswered); err != nil {
			c.logger().WarnContext(ctx, "record unanswered question", "err", err)
		}
	}
	replies := append(resumed, t.Replies...)
	for _, r := range replies {
		c.record(ctx, in.Buyer, refundbot.FromBot, r.Text)
	}
	return mergeReplies(replies), nil
}

// resumeIfOver gives the conversation back to the bot when its handoff was
// released, resolved or timed out while the buyer was away.
func (c *Conversations) resumeIfOver(ctx context.Context, s refundbot.Session) (refundbot.Session, []refundbot.Reply, error) {
	if s.HandoffID == "" {
		return resume(s), nil, nil
	}
	h, err := c.Handoffs.Get(ctx, s.HandoffID)
	if refundbot.ErrorCode(err) == refundbot.ENOTFOUND {
		return resume(s), nil, nil
	}
	if err != nil {
		return s, nil, fmt.Errorf("bot: load handoff: %w", err)
	}
	switch {
	case h.Status == refundbot.HandoffClosed:
		return resume(s), nil, nil
	case h.Status == refundbot.HandoffWaiting && c.HandoffTimeout > 0 && c.Bot.Now().Sub(h.UpdatedAt) > c.HandoffTimeout:
		now := c.Bot.Now()
		h.Status, h.UpdatedAt, h.ClosedAt = refundbot.HandoffClosed, now, &now
		h.Notes = append(h.Notes, refundbot.Note{By: "bot", Text: "等待超时,已交还机器人", At: now})
		if err := c.Handoffs.Update(ctx, h); err != nil {
			return s, nil, fmt.Errorf("bot: close handoff: %w", err)
		}
		return resume(s), []refundbot.Reply{{Text: textHandoffTimedOut}}, nil
	}
	return s, nil, nil
}

func resume(s refundbot.Session) refundbot.Session {
	s.State = s.ResumeState
	if s.State == "" || s.State == refundbot.StateHandoff {
		s.State = refundbot.StateIdle
	}
	s.ResumeState, s.HandoffID = "", ""
	return s
}

// Release gives a handed-off conversation back to the bot.
func (c *Conversations) Release(ctx context.Context, buyer refundbot.BuyerID) error {
	unlock, err := c.Sessions.Lock(ctx, buyer)
	if err != nil {
		return fmt.Errorf("bot: lock buyer: %w", err)
	}
	defer unlock()
	s, err := c.Sessions.Get(ctx, buyer)
	if err != nil {
		return fmt.Errorf("bot: load session: %w", err)
	}
	if s.State != refundbot.StateHandoff {
		return nil
	}
	if _, err := c.Sessions.Put(ctx, resume(s)); err != nil {
		return fmt.Errorf("bot: save session: %w", err)
	}
	return nil
}

// Notify records a refund change on the buyer's conversation and returns
// what to tell them.
func (c *Conversations) Notify(ctx context.Context, r *refundbot.Refund) (string, refundbot.Session, error) {
	buyer := refundbot.BuyerID(r.BuyerOpenID)
	unlock, err := c.Sessions.Lock(ctx, buyer)
	if err != nil {
		return "", refundbot.Session{}, fmt.Errorf("bot: lock buyer: %w", err)
	}
	defer unlock()
	s, err := c.Sessions.Get(ctx, buyer)
	if err != nil {
		return "", s, fmt.Errorf("bot: load session: %w", err)
	}
	s.Buyer = buyer
	s, text := c.Bot.Notify(s, r)
	if s, err = c.Sessions.Put(ctx, s); err != nil {
		return "", s, fmt.Errorf("bot: save session: %w", err)
	}
	if c.Reminders != nil {
		if err := c.Reminders.Watch(ctx, r); err != nil {
			c.logger().WarnContext(ctx, "follow refund", "refund", r.RefundID, "err", err)
		}
	}
	return text, s, nil
}

// Record appends a line to the buyer's transcript; failures are logged, not
// fatal: the conversation matters more than its record.
func (c *Conversations) Record(ctx context.Context, buyer refundbot.BuyerID, from, text, undelivered string) {
	if c.Transcripts == nil || (text == "" && undelivered == "") {
		return
	}
	err := c.Transcripts.Append(ctx, buyer, refundbot.TranscriptLine{From: from, Text: text, At: c.Bot.Now(), Undelivered: undelivered})
	if err != nil {
		c.logger().WarnContext(ctx, "append transcript", "buyer", buyer.Masked(), "err", err)
	}
}

func (c *Conversations) record(ctx context.Context, buyer refundbot.BuyerID, from, text string) {
	c.Record(ctx, buyer, from, text, "")
}

func (c *Conversations) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.Default()
	}
	return c.Logger
}

func buyerLine(in refundbot.Inbound) string {
	switch in.Kind {
	case refundbot.InboundImage:
		return "[图片]"
	case refundbot.InboundVideo:
		return "[视频]"
	case refundbot.InboundEvent:
		if in.EventKey != "" {
			return "[" + in.Event + " " + in.EventKey + "]"
		}
		return "[" + in.Event + "]"
	}
	return in.Text
}

// mergeReplies folds texts into one message (transfer stays separate):
// WeChat takes one passive reply and counts customer-service messages.
func mergeReplies(rs []refundbot.Reply) []refundbot.Reply {
	var text []string
	var out []refundbot.Reply
	for _, r := range rs {
		if r.Transfer {
			out = append(out, r)
			continue
		}
		text = append(text, r.Text)
	}
	if t := joinTexts(text...); t != "" {
		out = append([]refundbot.Reply{{Text: t}}, out...)
	}
	return out
}

package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/refundbot/refundbot"
)

// message is one inbound message with what the classifier read from it.
type message struct {
	refundbot.Understanding
	in      refundbot.Inbound
	text    string // trimmed text, "" for media and events
	restart bool   // "重新开始": drop the draft and begin again
}

func (m message) media() bool {
	return m.in.Kind == refundbot.InboundImage || m.in.Kind == refundbot.InboundVideo
}

// hasSlot reports whether the message carries any fact of a refund.
func (m message) hasSlot() bool {
	return m.OrderID != "" || m.RefundType != "" || m.Reason != "" || m.AmountSet || m.FullAmount || m.media()
}

// understand classifies the message once; menu clicks and media need no
// classifier.
func (b *Bot) understand(ctx context.Context, s refundbot.Session, in refundbot.Inbound) (message, error) {
	m := message{in: in, text: strings.TrimSpace(in.Text)}
	switch in.Kind {
	case refundbot.InboundEvent:
		m.Confidence = 1
		switch {
		case in.Event == refundbot.EventSubscribe:
			m.Intent = refundbot.IntentGreeting
		case strings.EqualFold(in.Event, refundbot.EventClick) && in.EventKey == refundbot.MenuRefund:
			m.Intent = refundbot.IntentRefund
		case strings.EqualFold(in.Event, refundbot.EventClick) && in.EventKey == refundbot.MenuProgress:
			m.Intent = refundbot.IntentStatus
		case strings.EqualFold(in.Event, refundbot.EventClick) && in.EventKey == refundbot.MenuHuman:
			m.Intent = refundbot.IntentHuman
		default:
			m.Intent = refundbot.IntentOther
		}
		return m, nil
	case refundbot.InboundImage, refundbot.InboundVideo:
		m.Intent, m.Confidence = refundbot.IntentRefund, 1
		return m, nil
	}
	if m.text == "" {
		m.Intent = refundbot.IntentOther
		return m, nil
	}
	u, err := b.Classifier.Classify(ctx, refundbot.ClassifyInput{Text: m.text, State: s.State, Asking: s.Asking})
	if err != nil {
		return m, fmt.Errorf("bot: classify: %w", err)
	}
	m.Understanding = u
	m.restart = isRestart(m.text)
	if inFlow(s.State) && !m.hasSlot() && containsAny(m.text, cancelPhrases) {
		m.Intent = refundbot.IntentCancel
	}
	return m, nil
}

// answersQuestion reports whether a message the classifier took for a
// general question is really the answer to what the bot just asked.
func answersQuestion(s refundbot.Session, m message) bool {
	switch s.State {
	case refundbot.StateCollecting:
		switch s.Asking {
		case refundbot.SlotDescription:
			return !looksLikeQuestion(m.text)
		case refundbot.SlotOrderID:
			return m.OrderID != ""
		case refundbot.SlotType:
			return m.RefundType != ""
		case refundbot.SlotReason:
			return m.Reason != ""
		case refundbot.SlotAmount:
			return m.AmountSet || m.FullAmount
		case refundbot.SlotEvidence:
			return m.Done
		}
	case refundbot.StateCollectingAppeal:
		return !looksLikeQuestion(m.text)
	case refundbot.StateAwaitingTracking:
		return m.Tracking != nil || hasDigits(m.text)
	}
	return false
}

func looksLikeQuestion(t string) bool {
	return strings.ContainsAny(t, "?？") || strings.HasSuffix(t, "吗") || strings.HasSuffix(t, "呢")
}

func isRestart(t string) bool { return containsAny(t, restartPhrases) }

func containsAny(t string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// descriptionFrom keeps what the buyer said about the problem, without the
// order number, when the message is more than a keyword.
func descriptionFrom(m message) string {
	t := m.text
	if m.OrderID != "" {
		t = removeOrderID(t, m.OrderID)
	}
	const cut = " ,，。.!！~、:：;；"
	t = strings.Trim(t, cut)
	for _, l := range orderLabels {
		t = strings.Trim(strings.TrimSuffix(strings.TrimPrefix(t, l), l), cut)
	}
	if len([]rune(t)) < 6 {
		return ""
	}
	return t
}

// removeOrderID deletes the order number from text, also where the buyer
// wrote it with spaces or dashes, together with a label just before it
// ("订单号:").
func removeOrderID(text, id string) string {
	r := []rune(text)
	start, end := findSpaced(r, []rune(id))
	if start < 0 {
		return text
	}
	before := strings.TrimRight(string(r[:start]), " :：#")
	for _, l := range orderLabels {
		if strings.HasSuffix(before, l) {
			before = strings.TrimSuffix(before, l)
			break
		}
	}
	return before + " " + string(r[end:])
}

// findSpaced finds want in r allowing spaces and dashes between its
// characters, and returns the rune span, or -1.
func findSpaced(r, want []rune) (int, int) {
	for start := range r {
		if r[start] != want[0] {
			continue
		}
		j, k := start, 0
		for j < len(r) && k < len(want) {
			switch {
			case r[j] == want[k]:
				k++
			case k > 0 && (r[j] == ' ' || r[j] == '-' || r[j] == '\u00a0'):
			default:
				j = len(r)
				continue
			}
			j++
		}
		if k == len(want) {
			return start, j
		}
	}
	return -1, -1
}

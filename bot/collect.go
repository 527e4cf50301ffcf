package bot

import (
	"context"

	"github.com/refundbot/refundbot"
)

// stepCollecting merges what the buyer just said into the draft and asks for
// the next missing fact.
func (b *Bot) stepCollecting(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	switch m.Intent {
	case refundbot.IntentStatus, refundbot.IntentEscalate, refundbot.IntentLogistics:
		if !m.hasSlot() && !answersQuestion(s, m) {
			return b.answerAside(ctx, s, m)
		}
	}
	if s.Asking == refundbot.SlotDescription && looksLikeQuestion(m.text) && !m.hasSlot() {
		// "退款多久到账?" is a question, not the description, when the
		// knowledge base knows it.
		if res, err := b.Knowledge.Search(ctx, m.text, 1); err == nil && res.Best != nil {
			return b.answer(ctx, s, m)
		}
	}
	return b.collect(ctx, s, m, "")
}

// answerAside handles a message about something else mid-flow (progress of
// an earlier refund, say) and then asks the pending question again.
func (b *Bot) answerAside(ctx context.Context, s refundbot.Session, m message) (Turn, error) {
	var t Turn
	var err error
	switch m.Intent {
	case refundbot.IntentStatus:
		t, err = b.progress(ctx, s, m)
	case refundbot.IntentEscalate:
		t, err = b.escalate(ctx, s, m)
	default:
		t, err = b.tracking(ctx, s, m)
	}
	if err != nil || t.Handoff != "" || t.Session.State != s.State {
		return t, err
	}
	t.Replies[0].Text = joinTexts(t.Replies[0].Text, textResume, b.question(t.Session))
	return t, nil
}

// collect is the heart of the flow: take every fact in the message, check
// each against the order, then ask for the first one still missing.
func (b *Bot) collect(ctx context.Context, s refundbot.Session, m message, note string) (Turn, error) {
	d := &s.Draft
	notes := []string{note}
	used := false

	if m.OrderID != "" && m.OrderID != d.OrderID {
		used = true
		previous := d.OrderID
		ok, text, err := b.takeOrder(ctx, &s, m.OrderID)
		if err != nil {
			return Turn{Session: s}, err
		}
		switch {
		case s.State != refundbot.StateCollecting:
			// The order already has a refund in progress.
			return say(s, text), nil
		case !ok && d.OrderID == "":
			s.Asking = refundbot.SlotOrderID
			if s.OrderAttempts >= b.Policy.MaxOrderAttempts {
				return b.handoff(s, handoffOrder, joinTexts(text, textHandoffOrder))
			}
			return say(s, text, b.question(s)), nil
		case ok && previous != "" && len(d.EvidenceIDs) > 0:
			// Evidence is filed per order on the platform.
			d.EvidenceIDs, d.EvidenceDone = nil, false
			notes = append(notes, text, textEvidenceAgain)
		default:
			// A failed correction keeps the order already checked.
			notes = append(notes, text)
		}
	} else if s.Asking == refundbot.SlotOrderID && !m.hasSlot() && m.text != "" && d.OrderID == "" {
		s.Misunderstood++
		if s.Misunderstood >= b.Policy.MaxMisunderstood {
			return b.handoff(s, handoffMisunderstood, textHandoffMisunderstood)
		}
		return say(s, textNoOrderID, b.question(s)), nil
	}

	if m.RefundType != "" && m.RefundType != d.Type {
		used = true
		if d.Type != "" {
			notes = append(notes, textChanged("类型", typeName(m.RefundType)))
		}
		d.Type = m.RefundType
		if d.Type == refundbot.Exchange {
			d.Amount, d.AmountSet = 0, true
		} else if d.AmountSet && d.Amount == 0 {
			d.AmountSet = false
		}
	}
	if d.OrderID != "" {
		if n := fixTypeForStatus(d); n != "" {
			notes = append(notes, n)
		}
	}

	if m.Done && s.Asking != refundbot.SlotReason {
		// "没有图片" says nothing about why: no reason hides in it.
		m.Reason = ""
	}
	if m.Reason != "" {
		used = true
		if m.Reason != d.Reason {
			if d.Reason != "" {
				notes = append(notes, textChanged("原因", reasonName(m.Reason)))
			}
			d.Reason = m.Reason
		}
		// The words around a reason the buyer volunteered describe the
		// problem; a bare answer to "why?" does not.
		if d.Description == "" && s.Asking != refundbot.SlotDescription &&
			(s.Asking != refundbot.SlotReason || len([]rune(m.text)) >= 8) {
			d.Description = descriptionFrom(m)
		}
	} else if s.Asking == refundbot.SlotReason && m.text != "" && !m.hasSlot() && m.Answer == refundbot.AnswerNone {
		// A reason the classifier could not place still says something:
		// file it as "other" with the buyer's words rather than loop.
		if s.Misunderstood > 0 && d.SpecialGoods == "" {
			used = true
			d.Reason = refundbot.ReasonOther
			if d.Description == "" {
				d.Description = m.text
			}
		} else {
			s.Misunderstood++
			if s.Misunderstood >= b.Policy.MaxMisunderstood {
				return b.handoff(s, handoffMisunderstood, textHandoffMisunderstood)
			}
			return say(s, textReasonUnclear, b.question(s)), nil
		}
	}
	if d.Reason != "" && d.OrderID != "" {
		if problem := b.reasonProblem(d); problem != "" {
			d.Reason = ""
			s.Asking = refundbot.SlotReason
			return say(s, joinTexts(notes...), problem, b.question(s)), nil
		}
	}

	if s.Asking == refundbot.SlotDescription && m.text != "" && !m.media() && m.OrderID == "" && !m.Done && m.Answer == refundbot.AnswerNone {
		used = true
		d.Description = clip(m.text, 500)
	}

	if m.media() {
		used = true
		n := b.takeMedia(ctx, &s, m.in.MediaID)
		if n == "" && s.Asking != refundbot.SlotEvidence {
			n = textEvidenceNoted(len(d.EvidenceIDs) + len(d.PendingMedia))
		}
		notes = append(notes, n)
	}
	if s.Asking == refundbot.SlotEvidence && (m.Done || m.Answer == refundbot.AnswerNo) && !m.media() {
		used = true
		d.EvidenceDone = true
	}
	if !used && s.Asking == refundbot.SlotEvidence && m.text != "" && !looksLikeQuestion(m.text) &&
		(m.Intent == refundbot.IntentRefund || m.Intent == refundbot.IntentOther) && m.Answer == refundbot.AnswerNone {
		// More words about the problem while photos are asked for.
		used = true
		d.Description = clip(joinLines(d.Description, m.text), 500)
		notes = append(notes, textDescriptionAdded)
	}
	if m.AmountSet && d.Type == refundbot.Exchange && !m.FullAmount {
		used = true
		notes = append(notes, textExchangeNoAmount)
	}

	if m.FullAmount || (s.Asking == refundbot.SlotAmount && m.Answer == refundbot.AnswerYes && !m.AmountSet) {
		used = true
		if d.Type != refundbot.Exchange {
			d.Amount, d.AmountSet = d.PaidAmount, d.OrderID != ""
		}
	} else if m.AmountSet && (s.Asking == refundbot.SlotAmount || m.Amount > 0) && d.Type != refundbot.Exchange {
		used = true
		if problem := b.amountProblem(d, m.Amount); problem != "" {
			s.Asking = refundbot.SlotAmount
			d.AmountSet = false
			return say(s, joinTexts(notes...), problem, b.question(s)), nil
		}
		if d.AmountSet && d.Amount != m.Amount {
			notes = append(notes, textChanged("金额", m.Amount.Yuan()+" 元"))
		}
		d.Amount, d.AmountSet = m.Amount, true
	}

	if used {
		s.Misunderstood = 0
	} else if m.Intent != refundbot.IntentRefund || m.Confidence < b.Policy.MinConfidence {
		s.Misunderstood++
		if s.Misunderstood >= b.Policy.MaxMisunderstood {
			return b.handoff(s, handoffMisunderstood, textHandoffMisunderstood)
		}
		if m.Angry {
			return b.handoff(s, handoffAngry, textHandoffAngry)
		}
		notes = append(notes, textDidNotGet)
	}
	return b.next(ctx, s, notes...)
}

// next asks for the first missing fact, or shows the summary when all are
// there.
func (b *Bot) next(ctx context.Context, s refundbot.Session, notes ...string) (Turn, error) {
	s.State = refundbot.StateCollecting
	s.Asking = b.missing(s.Draft)
	if s.Asking != refundbot.SlotNone {
		return say(s, joinTexts(notes...), b.question(s)), nil
	}
	return b.confirm(ctx, s, notes...)
}

// missing returns the first fact the draft lacks, in the order a person
// would ask them.
func (b *Bot) missing(d refundbot.RefundDraft) refundbot.Slot {
	switch {
	case d.OrderID == "":
		return refundbot.SlotOrderID
	case d.Type == "":
		return refundbot.SlotType
	case d.Reason == "":
		return refundbot.SlotReason
	case d.Description == "":
		return refundbot.SlotDescription
	case !d.EvidenceDone:
		return refundbot.SlotEvidence
	case !d.AmountSet:
		return refundbot.SlotAmount
	}
	return refundbot.SlotNone
}

// question is what to ask for s.Asking.
func (b *Bot) question(s refundbot.Session) string {
	d := s.Draft
	switch s.Asking {
	case refundbot.SlotOrderID:
		return textAskOrder
	case refundbot.SlotType:
		return textAskType()
	case refundbot.SlotReason:
		return textAskReason
	case refundbot.SlotDescription:
		return textAskDescription
	case refundbot.SlotEvidence:
		return textAskEvidence(len(d.EvidenceIDs), d.Reason)
	case refundbot.SlotAmount:
		return textAskAmount(d.PaidAmount)
	}
	if s.State == refundbot.StateConfirming {
		return textAskConfirm
	}
	return ""
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

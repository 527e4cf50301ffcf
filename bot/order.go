package bot

import (
	"context"
	"fmt"

	"github.com/refundbot/refundbot"
)

// takeOrder checks an order number the buyer gave and, when it is theirs
// and refundable, puts its facts in the draft. It returns a sentence for
// the buyer: a note when the order was taken, a problem when it was not.
func (b *Bot) takeOrder(ctx context.Context, s *refundbot.Session, id string) (ok bool, text string, err error) {
	o, problem, err := b.checkOrder(ctx, s.Buyer, id)
	if err != nil {
		return false, "", err
	}
	if problem != "" {
		if o == nil {
			s.OrderAttempts++
		}
		return false, problem, nil
	}
	existing, err := b.openRefund(ctx, s.Buyer, id)
	if err != nil {
		return false, textPlatformBusy, nil
	}
	if existing != nil {
		s.State, s.Asking, s.Draft, s.FilingKey = refundbot.StateFiled, refundbot.SlotNone, refundbot.RefundDraft{}, ""
		s.RefundID = existing.RefundID
		return false, textRefundExists(existing, b.Now()), nil
	}
	d := &s.Draft
	d.OrderID = o.OrderID
	d.OrderTitle = o.Title()
	d.PaidAmount = o.PaidAmount
	d.OrderStatus = o.Status
	d.DeliveredAt = o.DeliveredAt
	d.SpecialGoods = specialGoods(o)
	if d.AmountSet && d.Type != refundbot.Exchange && d.Amount > d.PaidAmount {
		d.AmountSet = false
	}
	notes := []string{textOrderFound(o)}
	for _, mediaID := range d.PendingMedia {
		if n := b.uploadEvidence(ctx, s, mediaID); n != "" {
			notes = append(notes, n)
		}
	}
	d.PendingMedia = nil
	return true, joinTexts(notes...), nil
}

// checkOrder finds the order and decides whether the buyer may refund it.
// An order of another buyer reads exactly like an unknown one. A nil order
// with a problem means "not found"; err is only for broken dependencies the
// caller cannot explain to the buyer.
func (b *Bot) checkOrder(ctx context.Context, buyer refundbot.BuyerID, id string) (*refundbot.Order, string, error) {
	o, err := b.Orders.FindOrder(ctx, id)
	switch refundbot.ErrorCode(err) {
	case "":
	case refundbot.ENOTFOUND, refundbot.EINVALID:
		return nil, textOrderNotFound(id), nil
	default:
		return &refundbot.Order{}, textPlatformBusy, nil
	}
	if o.BuyerOpenID != string(buyer) {
		return nil, textOrderNotFound(id), nil
	}
	switch o.Status {
	case refundbot.OrderUnpaid:
		return o, textOrderUnpaid, nil
	case refundbot.OrderClosed:
		return o, textOrderClosed, nil
	}
	if !anyRefundable(o) {
		return o, textNotRefundable, nil
	}
	if o.DeliveredAt != nil && b.Policy.AfterSaleDays > 0 {
		if b.Now().After(o.DeliveredAt.AddDate(0, 0, b.Policy.AfterSaleDays)) {
			return o, textOutsideWindow(b.Policy.AfterSaleDays, *o.DeliveredAt), nil
		}
	}
	return o, "", nil
}

// openRefund returns the buyer's refund in progress for the order, if any:
// the bot never files a second one.
func (b *Bot) openRefund(ctx context.Context, buyer refundbot.BuyerID, orderID string) (*refundbot.Refund, error) {
	rs, err := b.Refunds.FindRefunds(ctx, refundbot.RefundFilter{BuyerOpenID: string(buyer), OrderID: orderID})
	if err != nil {
		return nil, fmt.Errorf("bot: refunds of order: %w", err)
	}
	for _, r := range rs {
		if r.OrderID == orderID && r.BuyerOpenID == string(buyer) && r.Status.Open() {
			return r, nil
		}
	}
	return nil, nil
}

func anyRefundable(o *refundbot.Order) bool {
	if len(o.Items) == 0 {
		return true
	}
	for _, it := range o.Items {
		if it.Refundable {
			return true
		}
	}
	return false
}

func specialGoods(o *refundbot.Order) string {
	for _, it := range o.Items {
		switch it.Category {
		case refundbot.CategoryCustom, refundbot.CategoryVirtual, refundbot.CategoryFresh:
			return it.Category
		}
	}
	return ""
}

// fixTypeForStatus makes the refund type fit the order's status: before
// delivery there is nothing to send back or exchange, so it is refund only
// (the platforms take a parcel in transit back as a refusal).
func fixTypeForStatus(d *refundbot.RefundDraft) string {
	if d.OrderStatus != refundbot.OrderPaid && d.OrderStatus != refundbot.OrderShipped {
		return ""
	}
	if d.Type == refundbot.RefundOnly {
		return ""
	}
	changed := d.Type != ""
	d.Type = refundbot.RefundOnly
	if d.AmountSet && d.Amount == 0 {
		d.AmountSet = false
	}
	switch {
	case d.OrderStatus == refundbot.OrderShipped && changed:
		return textNotDeliveredRefundOnly
	case d.OrderStatus == refundbot.OrderShipped:
		return textNotDeliveredRefundOnlyAuto
	case changed:
		return textNotShippedRefundOnly
	}
	return textNotShippedRefundOnlyAuto
}

// reasonProblem explains why the reason cannot be used for this order, or
// returns "".
func (b *Bot) reasonProblem(d *refundbot.RefundDraft) string {
	if d.SpecialGoods != "" && !d.Reason.Fault() {
		return textNoReasonSpecial(d.SpecialGoods)
	}
	if d.Reason != refundbot.ReasonNoReason {
		return ""
	}
	if d.DeliveredAt != nil && b.Policy.NoReasonDays > 0 &&
		b.Now().After(d.DeliveredAt.AddDate(0, 0, b.Policy.NoReasonDays)) {
		return textNoReasonExpired(b.Policy.NoReasonDays)
	}
	return ""
}

// amountProblem checks a stated amount against what was paid.
func (b *Bot) amountProblem(d *refundbot.RefundDraft, amount refundbot.Fen) string {
	if d.Type == refundbot.Exchange {
		return ""
	}
	if amount <= 0 {
		return textAmountInvalid
	}
	if d.OrderID != "" && amount > d.PaidAmount {
		return textAmountTooHigh(amount, d.PaidAmount)
	}
	return ""
}

// takeMedia stores one evidence photo or video: uploaded at once when the
// order is known, kept for later otherwise.
func (b *Bot) takeMedia(ctx context.Context, s *refundbot.Session, mediaID string) string {
	d := &s.Draft
	if len(d.EvidenceIDs)+len(d.PendingMedia) >= maxEvidence {
		return textTooMuchEvidence
	}
	if d.OrderID == "" {
		d.PendingMedia = append(d.PendingMedia, mediaID)
		return textEvidenceKept
	}
	// Success needs no note: the next question counts the photos.
	return b.uploadEvidence(ctx, s, mediaID)
}

// maxEvidence is how many photos one application takes, as on the platforms.
const maxEvidence = 9

// uploadEvidence downloads the media from WeChat and uploads it to the
// platform. It returns a sentence only when that failed.
func (b *Bot) uploadEvidence(ctx context.Context, s *refundbot.Session, mediaID string) string {
	data, ctype, err := b.Media.FetchMedia(ctx, mediaID)
	if err != nil {
		return textMediaFailed
	}
	ev, err := b.Evidence.UploadEvidence(ctx, s.Draft.OrderID, mediaID+extFor(ctype), ctype, data)
	if err != nil {
		if refundbot.ErrorCode(err) == refundbot.EINVALID {
			return textMediaRejected
		}
		return textMediaFailed
	}
	s.Draft.EvidenceIDs = append(s.Draft.EvidenceIDs, ev.EvidenceID)
	return ""
}

func extFor(ctype string) string {
	switch ctype {
	case "image/png":
		return ".png"
	case "video/mp4":
		return ".mp4"
	}
	return ".jpg"
}

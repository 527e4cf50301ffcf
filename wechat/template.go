package wechat

import (
	"context"

	"github.com/refundbot/refundbot"
)

// TemplateNotifier tells a buyer about a refund change with a template
// message, for when the 48-hour window of customer-service messages has
// closed. The template needs one field, "content", holding the notice.
type TemplateNotifier struct {
	Client     *Client
	TemplateID string
}

// SendTemplate sends text as the template's "content" field.
func (t TemplateNotifier) SendTemplate(ctx context.Context, buyer refundbot.BuyerID, text string) error {
	return t.Client.SendTemplate(ctx, buyer, t.TemplateID, map[string]string{"content": text}, "")
}

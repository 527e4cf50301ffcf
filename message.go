package refundbot

import (
	"context"
	"time"
)

// BuyerID is the buyer's openid on the official account.
type BuyerID string

// Masked returns the openid shortened for logs.
func (b BuyerID) Masked() string {
	s := string(b)
	if len(s) <= 8 {
		return s
	}
	return s[:4] + "…" + s[len(s)-4:]
}

// InboundKind says what a buyer sent.
type InboundKind string

const (
	InboundText  InboundKind = "text"  // also voice, with the recognised text
	InboundImage InboundKind = "image" // MediaID set
	InboundVideo InboundKind = "video" // MediaID set
	InboundEvent InboundKind = "event" // Event (and EventKey) set
)

// Events the bot reacts to.
const (
	EventSubscribe = "subscribe"
	EventClick     = "CLICK"
)

// Menu keys an official account's custom menu sends with CLICK events.
const (
	MenuRefund   = "REFUND"
	MenuProgress = "PROGRESS"
	MenuHuman    = "HUMAN"
)

// Inbound is one message from a buyer, already verified and decrypted.
type Inbound struct {
	Buyer    BuyerID
	Kind     InboundKind
	Text     string
	MediaID  string
	Event    string
	EventKey string
	MsgID    string
	At       time.Time
}

// Reply is one message to a buyer.
type Reply struct {
	Text string `json:"text"`
	// Transfer asks WeChat to hand the conversation to its own customer
	// service (HANDOFF_MODE=wechat).
	Transfer bool `json:"transfer,omitempty"`
}

// Sender delivers messages to a buyer outside a passive reply: WeChat's
// customer-service message API (48-hour window), falling back to template
// messages where configured.
type Sender interface {
	// Send returns EFORBIDDEN when the buyer's 48-hour window is closed and
	// ERATELIMITED when the quota is exhausted.
	Send(ctx context.Context, buyer BuyerID, text string) error
}

// MediaFetcher downloads a buyer's image or video from WeChat.
type MediaFetcher interface {
	// FetchMedia returns ENOTFOUND for an expired or unknown media id.
	FetchMedia(ctx context.Context, mediaID string) (data []byte, contentType string, err error)
}

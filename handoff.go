package refundbot

import (
	"context"
	"time"
)

// HandoffStatus is where a handoff to support staff is.
type HandoffStatus string

const (
	HandoffWaiting HandoffStatus = "waiting" // in the queue, nobody has it
	HandoffActive  HandoffStatus = "active"  // an agent claimed it
	HandoffClosed  HandoffStatus = "closed"  // released back to the bot or resolved
)

// Handoff is a conversation a person took over from the bot.
type Handoff struct {
	ID        string        `json:"id"`
	Buyer     BuyerID       `json:"openid"`
	Status    HandoffStatus `json:"status"`
	Reason    string        `json:"reason"`
	Agent     string        `json:"agent,omitempty"`
	Collected RefundDraft   `json:"collected"`
	Notes     []Note        `json:"notes,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	ClosedAt  *time.Time    `json:"closed_at,omitempty"`
}

// Note is an internal remark by support staff; buyers never see it.
type Note struct {
	By   string    `json:"by"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// HandoffStore keeps handoffs.
type HandoffStore interface {
	// Create stores a new handoff and returns it with ID set.
	Create(ctx context.Context, h Handoff) (Handoff, error)
	// Get returns ENOTFOUND for an unknown id.
	Get(ctx context.Context, id string) (Handoff, error)
	// List returns handoffs with the status (all when empty), newest first.
	List(ctx context.Context, status HandoffStatus) ([]Handoff, error)
	// Update replaces a stored handoff; ENOTFOUND if it does not exist.
	Update(ctx context.Context, h Handoff) error
}

// Who wrote a transcript line.
const (
	FromBuyer  = "buyer"
	FromBot    = "bot"
	FromAgent  = "agent"
	FromSystem = "system"
)

// TranscriptLine is one message of a conversation, in either direction.
type TranscriptLine struct {
	From string    `json:"from"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
	// Undelivered is set when a message to the buyer could not be sent
	// (48-hour window closed, quota, WeChat down): support sees it.
	Undelivered string `json:"undelivered,omitempty"`
}

// TranscriptStore keeps the last messages of each conversation.
type TranscriptStore interface {
	Append(ctx context.Context, buyer BuyerID, line TranscriptLine) error
	// Lines returns up to limit most recent lines, oldest first.
	Lines(ctx context.Context, buyer BuyerID, limit int) ([]TranscriptLine, error)
}

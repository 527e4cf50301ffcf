package refundbot

import (
	"context"
	"time"
)

// State is where a buyer's conversation is. States are persisted: never
// rename one.
type State string

const (
	StateIdle       State = "idle"       // nothing in progress
	StateCollecting State = "collecting" // gathering the refund's facts; Asking says which
	StateConfirming State = "confirming" // summary shown, waiting for yes/no
	StateFiled      State = "filed"      // a refund is filed; follow-up questions
	StateHandoff    State = "handoff"    // a person has the conversation
	// After filing, a question the bot asked and waits for:
	StateAwaitingTracking    State = "awaiting_tracking"    // return carrier + tracking number
	StateConfirmingCancel    State = "confirming_cancel"    // "really cancel refund X?"
	StateCollectingAppeal    State = "collecting_appeal"    // statement for platform intervention
	StateConfirmingIntervene State = "confirming_intervene" // "ask the platform to step in?"
)

// Slot is one fact of a refund the bot asks for.
type Slot string

const (
	SlotNone        Slot = ""
	SlotOrderID     Slot = "order_id"
	SlotType        Slot = "refund_type"
	SlotReason      Slot = "reason"
	SlotDescription Slot = "description"
	SlotEvidence    Slot = "evidence"
	SlotAmount      Slot = "amount"
)

// RefundDraft is what the bot has collected for a refund not yet filed.
type RefundDraft struct {
	OrderID     string     `json:"order_id,omitempty"`
	OrderTitle  string     `json:"order_title,omitempty"`
	PaidAmount  Fen        `json:"paid_amount,omitempty"`
	Type        RefundType `json:"type,omitempty"`
	Reason      Reason     `json:"reason,omitempty"`
	Description string     `json:"description,omitempty"`
	EvidenceIDs []string   `json:"evidence_ids,omitempty"`
	// EvidenceDone is set when the buyer said they have no more photos.
	EvidenceDone bool `json:"evidence_done,omitempty"`
	Amount       Fen  `json:"amount,omitempty"`
	AmountSet    bool `json:"amount_set,omitempty"`
	// PendingMedia holds media ids sent before the order was known; they
	// are uploaded once it is (WeChat keeps media for 3 days).
	PendingMedia []string `json:"pending_media,omitempty"`
	// Facts of the checked order the flow decides on.
	OrderStatus OrderStatus `json:"order_status,omitempty"`
	DeliveredAt *time.Time  `json:"delivered_at,omitempty"`
	// SpecialGoods is "custom", "virtual" or "fresh" when the order holds
	// such goods: no no-reason return.
	SpecialGoods string `json:"special_goods,omitempty"`
}

// Session is one buyer's conversation state. It is data: the bot reads one
// and returns the next.
type Session struct {
	Buyer  BuyerID     `json:"buyer"`
	State  State       `json:"state"`
	Asking Slot        `json:"asking,omitempty"`
	Draft  RefundDraft `json:"draft"`
	// FilingKey is the Idempotency-Key of the refund being filed, saved
	// before the platform call so a retry can never file twice.
	FilingKey string `json:"filing_key,omitempty"`
	// RefundID is the refund the follow-up states are about.
	RefundID string `json:"refund_id,omitempty"`
	// Appeal collects a statement and evidence for platform intervention.
	Appeal Intervention `json:"appeal,omitempty"`
	// Misunderstood counts consecutive turns the bot could not use.
	Misunderstood int `json:"misunderstood,omitempty"`
	// OrderAttempts counts order numbers not found in this draft.
	OrderAttempts int `json:"order_attempts,omitempty"`
	// HandoffID is the open handoff while State is StateHandoff.
	HandoffID string    `json:"handoff_id,omitempty"`
	HandoffAt time.Time `json:"handoff_at,omitempty"`
	// ResumeState is where to go back to when a handoff is released.
	ResumeState State `json:"resume_state,omitempty"`
	// LastInboundAt is when the buyer last wrote: WeChat's customer-service
	// messages are allowed for 48 hours after it.
	LastInboundAt time.Time `json:"last_inbound_at,omitempty"`
	// Version increases on every write; a store rejects a write whose
	// version is not the stored one (ECONFLICT).
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SessionStore keeps sessions between messages.
type SessionStore interface {
	// Get returns the buyer's session, or a new idle one with Version 0.
	Get(ctx context.Context, buyer BuyerID) (Session, error)
	// Put stores s if the stored version still equals s.Version and returns
	// the stored session with the next version. Returns ECONFLICT otherwise.
	Put(ctx context.Context, s Session) (Session, error)
	// Delete forgets the buyer's session.
	Delete(ctx context.Context, buyer BuyerID) error
	// Lock serialises message handling for one buyer across instances. The
	// returned func releases the lock.
	Lock(ctx context.Context, buyer BuyerID) (unlock func(), err error)
}

// Deduper remembers keys (WeChat MsgIds, platform event ids) across
// instances so a redelivery is processed once.
type Deduper interface {
	// Claim records key and reports whether this caller is the first.
	Claim(ctx context.Context, key string, ttl time.Duration) (first bool, err error)
}

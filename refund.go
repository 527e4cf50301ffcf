package refundbot

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// RefundType is what the buyer asks for (platform-api.md).
type RefundType string

const (
	RefundOnly   RefundType = "refund_only"   // 仅退款
	ReturnRefund RefundType = "return_refund" // 退货退款
	Exchange     RefundType = "exchange"      // 换货, amount 0
)

// Valid reports whether t is one of the contract's refund types.
func (t RefundType) Valid() bool {
	switch t {
	case RefundOnly, ReturnRefund, Exchange:
		return true
	}
	return false
}

// Reason is why the buyer asks (platform-api.md).
type Reason string

const (
	ReasonQuality        Reason = "quality"
	ReasonNotAsDescribed Reason = "not_as_described"
	ReasonNotReceived    Reason = "not_received"
	ReasonWrongItem      Reason = "wrong_item"
	ReasonDamaged        Reason = "damaged"
	ReasonNoReason       Reason = "no_reason"
	ReasonLateShipment   Reason = "late_shipment"
	ReasonService        Reason = "service"
	ReasonPrice          Reason = "price"
	ReasonOther          Reason = "other"
)

// Reasons lists every reason code in a stable order.
var Reasons = []Reason{ReasonQuality, ReasonNotAsDescribed, ReasonNotReceived,
	ReasonWrongItem, ReasonDamaged, ReasonNoReason, ReasonLateShipment,
	ReasonService, ReasonPrice, ReasonOther}

// Valid reports whether r is one of the contract's reasons.
func (r Reason) Valid() bool {
	for _, x := range Reasons {
		if r == x {
			return true
		}
	}
	return false
}

// Fault reports whether the reason blames the goods or the merchant, which
// makes custom, virtual and fresh goods refundable.
func (r Reason) Fault() bool {
	switch r {
	case ReasonNoReason, ReasonPrice, ReasonOther:
		return false
	}
	return r.Valid()
}

// RefundStatus is a refund's status on the platform (platform-api.md).
type RefundStatus string

const (
	StatusPendingMerchant   RefundStatus = "pending_merchant"
	StatusAwaitingReturn    RefundStatus = "approved_awaiting_return"
	StatusReturnInTransit   RefundStatus = "return_in_transit"
	StatusRefunding         RefundStatus = "refunding"
	StatusRefunded          RefundStatus = "refunded"
	StatusRejected          RefundStatus = "rejected"
	StatusUnderIntervention RefundStatus = "under_intervention"
	StatusClosed            RefundStatus = "closed"
	StatusCancelled         RefundStatus = "cancelled"
)

// Open reports whether the refund is still in progress.
func (s RefundStatus) Open() bool {
	switch s {
	case StatusRefunded, StatusClosed, StatusCancelled:
		return false
	}
	return true
}

// Address is the merchant's return address. Platforms send it either as a
// string or as an object; both decode.
type Address struct {
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

// UnmarshalJSON accepts a plain string or an object with name, phone and
// address (or detail / full_address / province+city+district+street).
func (a *Address) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*a = Address{Address: s}
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	str := func(k string) string { v, _ := m[k].(string); return v }
	a.Name = firstNonEmpty(str("name"), str("contact"), str("receiver"))
	a.Phone = firstNonEmpty(str("phone"), str("mobile"), str("tel"))
	a.Address = firstNonEmpty(str("address"), str("full_address"), str("detail"),
		strings.Join(nonEmpty(str("province"), str("city"), str("district"), str("street")), ""))
	return nil
}

// String renders the address on one line.
func (a Address) String() string {
	return strings.Join(nonEmpty(a.Name, a.Phone, a.Address), " ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Shipment is a return parcel the buyer sent back.
type Shipment struct {
	Carrier    string `json:"carrier"`
	TrackingNo string `json:"tracking_no"`
}

// Refund is a refund as the platform holds it.
type Refund struct {
	RefundID       string       `json:"refund_id"`
	OrderID        string       `json:"order_id"`
	BuyerOpenID    string       `json:"buyer_openid"`
	Type           RefundType   `json:"type"`
	Reason         Reason       `json:"reason"`
	Description    string       `json:"description"`
	Amount         Fen          `json:"amount"`
	EvidenceIDs    []string     `json:"evidence_ids"`
	Status         RefundStatus `json:"status"`
	MerchantNote   string       `json:"merchant_note"`
	ReturnAddress  *Address     `json:"return_address"`
	ReturnShipment *Shipment    `json:"return_shipment"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// RefundRequest is what the bot files (POST /v1/refunds).
type RefundRequest struct {
	OrderID     string     `json:"order_id"`
	BuyerOpenID string     `json:"buyer_openid"`
	Type        RefundType `json:"type"`
	Reason      Reason     `json:"reason"`
	Description string     `json:"description"`
	Amount      Fen        `json:"amount"`
	EvidenceIDs []string   `json:"evidence_ids"`
	Channel     string     `json:"channel"`
}

// ChannelWeChatOA is the channel the bot files under.
const ChannelWeChatOA = "wechat_oa"

// Intervention asks the platform to step in after a refusal.
type Intervention struct {
	Description string   `json:"description"`
	EvidenceIDs []string `json:"evidence_ids"`
}

// RefundFilter selects refunds; empty fields match anything.
type RefundFilter struct {
	BuyerOpenID string
	OrderID     string
}

// RefundService files and follows refunds on the merchant platform.
type RefundService interface {
	// FileRefund files a refund. The same key never creates a second refund:
	// callers retrying after a timeout pass the same key. Returns ECONFLICT
	// (with RefundID) if the order already has a refund, EAMOUNT,
	// ENOTREFUNDABLE, EOUTSIDEWINDOW or EINVALIDSTATE when the platform
	// refuses, ENOTFOUND for an unknown order.
	FileRefund(ctx context.Context, key string, req RefundRequest) (*Refund, error)
	// FindRefund returns ENOTFOUND for an unknown refund.
	FindRefund(ctx context.Context, refundID string) (*Refund, error)
	FindRefunds(ctx context.Context, f RefundFilter) ([]*Refund, error)
	// The following return EINVALIDSTATE where the status does not allow it.
	SubmitReturnShipment(ctx context.Context, refundID string, s Shipment) (*Refund, error)
	RequestIntervention(ctx context.Context, refundID string, in Intervention) (*Refund, error)
	CancelRefund(ctx context.Context, refundID string) (*Refund, error)
}

// Evidence is an uploaded photo or video.
type Evidence struct {
	EvidenceID  string `json:"evidence_id"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// EvidenceService stores evidence on the platform.
type EvidenceService interface {
	// UploadEvidence uploads one file (image/jpeg, image/png, video/mp4; at
	// most 10 MiB). Returns EINVALID for a wrong type or size.
	UploadEvidence(ctx context.Context, orderID, filename, contentType string, data []byte) (*Evidence, error)
}

// MaxEvidenceBytes is the platform's limit for one evidence file.
const MaxEvidenceBytes = 10 << 20

// FollowUp is a filed refund the bot keeps an eye on, to remind the buyer
// when it stalls (merchant silent for 48 h, goods not sent back in 3 days).
type FollowUp struct {
	RefundID string    `json:"refund_id"`
	Buyer    BuyerID   `json:"buyer"`
	NextAt   time.Time `json:"next_at"`
}

// FollowUpStore keeps the refunds to follow up, shared by all instances.
type FollowUpStore interface {
	// Watch adds or reschedules a refund.
	Watch(ctx context.Context, f FollowUp) error
	// Due returns up to limit follow-ups whose NextAt is not after now.
	Due(ctx context.Context, now time.Time, limit int) ([]FollowUp, error)
	// Forget stops following a refund.
	Forget(ctx context.Context, refundID string) error
}

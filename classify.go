package refundbot

import "context"

// Intent is what a buyer's message is about (bot-api.md codes).
type Intent string

const (
	IntentRefund    Intent = "refund"
	IntentStatus    Intent = "status"
	IntentFAQ       Intent = "faq"
	IntentHuman     Intent = "human"
	IntentEscalate  Intent = "escalate"
	IntentLogistics Intent = "logistics"
	IntentCancel    Intent = "cancel"
	IntentGreeting  Intent = "greeting"
	IntentOther     Intent = "other"
)

// Intents lists every intent code in a stable order.
var Intents = []Intent{IntentRefund, IntentStatus, IntentFAQ, IntentHuman,
	IntentEscalate, IntentLogistics, IntentCancel, IntentGreeting, IntentOther}

// Valid reports whether i is one of the contract's intents.
func (i Intent) Valid() bool {
	for _, x := range Intents {
		if i == x {
			return true
		}
	}
	return false
}

// Answer is a yes or no to the bot's last question.
type Answer string

const (
	AnswerNone Answer = ""
	AnswerYes  Answer = "yes"
	AnswerNo   Answer = "no"
)

// Classification sources.
const (
	SourceRules = "rules"
	SourceLLM   = "llm"
)

// ClassifyInput is a message with what the bot was doing when it came.
type ClassifyInput struct {
	Text   string
	State  State
	Asking Slot // the slot the bot just asked for, if any
}

// Understanding is everything the bot reads from one message. Empty fields
// mean the message does not say.
type Understanding struct {
	Intent     Intent     `json:"intent"`
	Reason     Reason     `json:"reason,omitempty"`
	RefundType RefundType `json:"refund_type,omitempty"`
	// OrderID is the order number as the buyer wrote it, normalised (spaces
	// and labels removed). Never a courier tracking number.
	OrderID string `json:"order_id,omitempty"`
	// Amount is a stated refund amount; AmountSet tells 0 from unsaid.
	Amount    Fen  `json:"amount,omitempty"`
	AmountSet bool `json:"amount_set,omitempty"`
	// FullAmount is set for "全额", "全部退".
	FullAmount bool `json:"full_amount,omitempty"`
	// Tracking is a return parcel's carrier and tracking number.
	Tracking *Shipment `json:"tracking,omitempty"`
	// Answer is a yes or no, when the message is one.
	Answer Answer `json:"answer,omitempty"`
	// Done is set for "没有了", "就这些": nothing more to add.
	Done bool `json:"done,omitempty"`
	// Angry is set for anger or complaint signals.
	Angry      bool    `json:"angry,omitempty"`
	Confidence float64 `json:"confidence"`
	Source     string  `json:"source"`
}

// Classifier reads a buyer's message. Implementations label only: they
// never decide ownership, amounts, eligibility or filing.
type Classifier interface {
	Classify(ctx context.Context, in ClassifyInput) (Understanding, error)
}

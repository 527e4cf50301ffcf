// Package persona plays buyer personas through the bot's real webhook, as
// WeChat's servers would deliver them, and checks what reached the
// merchant platform. It measures whole conversations: the right refund
// filed once, or rightly none.
//
// It talks to the bot and the platform over HTTP only, so it measures the
// same binary a merchant runs.
package persona

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/refundbot/refundbot"
)

// Persona is one line of dialogues-*.jsonl.
type Persona struct {
	ID        string          `json:"id"`
	OpenID    string          `json:"openid"`
	Platform  string          `json:"platform"`
	Opening   string          `json:"opening"`
	Facts     Facts           `json:"facts"`
	Order     refundbot.Order `json:"order"`
	Expect    string          `json:"expect"` // "filed" or "refused"
	ExpectWhy string          `json:"expect_why"`
}

// Facts are what the buyer answers when asked.
type Facts struct {
	OrderID        string               `json:"order_id"`
	RefundType     refundbot.RefundType `json:"refund_type"`
	Reason         refundbot.Reason     `json:"reason"`
	Description    string               `json:"description"`
	EvidenceImages int                  `json:"evidence_images"`
	// Amount is "full" or a number of fen.
	Amount json.RawMessage `json:"amount"`
}

// AmountFen returns the asked amount and whether it is the full amount.
func (f Facts) AmountFen() (refundbot.Fen, bool, error) {
	var s string
	if err := json.Unmarshal(f.Amount, &s); err == nil {
		if s == "full" || s == "" {
			return 0, true, nil
		}
		return 0, false, fmt.Errorf("amount %q: want \"full\" or fen", s)
	}
	var n int64
	if err := json.Unmarshal(f.Amount, &n); err != nil {
		return 0, false, fmt.Errorf("amount %s: %w", f.Amount, err)
	}
	return refundbot.Fen(n), false, nil
}

// WrittenOn is the day the development personas' dates were written.
var WrittenOn = time.Date(2026, 11, 22, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Load reads personas from JSONL, shifting their dates by now - WrittenOn
// so after-sale windows mean the same whenever they run.
func Load(r io.Reader, now time.Time) ([]Persona, error) {
	shift := now.Sub(WrittenOn).Truncate(24 * time.Hour)
	var out []Persona
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var p Persona
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("persona line %d: %w", line, err)
		}
		if _, _, err := p.Facts.AmountFen(); err != nil {
			return nil, fmt.Errorf("persona %s: %w", p.ID, err)
		}
		shiftOrder(&p.Order, shift)
		out = append(out, p)
	}
	return out, sc.Err()
}

// LoadFile is Load on a file.
func LoadFile(path string, now time.Time) ([]Persona, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Load(f, now)
}

func shiftOrder(o *refundbot.Order, d time.Duration) {
	if o.PaidAt != nil {
		t := o.PaidAt.Add(d)
		o.PaidAt = &t
	}
	if o.DeliveredAt != nil {
		t := o.DeliveredAt.Add(d)
		o.DeliveredAt = &t
	}
}

package knowledge

import (
	_ "embed"
	"fmt"

	"github.com/refundbot/refundbot"
)

// defaultJSON is the knowledge base a fresh install serves: general refund
// questions for WeChat Channels shop, Douyin, Xiaohongshu and Wangshangliao
// buyers. Operators change it through the API; this file only seeds.
//
//go:embed default.json
var defaultJSON []byte

// DefaultEntries returns the embedded default knowledge base.
func DefaultEntries() ([]refundbot.Entry, error) {
	entries, err := ParseEntries(FormatJSON, defaultJSON)
	if err != nil {
		return nil, fmt.Errorf("knowledge: embedded default: %w", err)
	}
	return ValidateEntries(entries)
}

package refundbot

import (
	"fmt"
	"strconv"
	"strings"
)

// Fen is an amount of money in fen (1 CNY = 100 fen). Money is never a float.
type Fen int64

// Yuan renders the amount as yuan with two decimals, e.g. "129.00".
func (f Fen) Yuan() string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s%d.%02d", sign, f/100, f%100)
}

// ParseYuan parses a decimal yuan amount such as "50", "49.9" or "49.90"
// into fen. It rejects more than two decimals, signs and empty input.
func ParseYuan(s string) (Fen, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, Errorf(EINVALID, "empty amount")
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasDot && (len(frac) == 0 || len(frac) > 2) {
		return 0, Errorf(EINVALID, "amount %q: at most two decimals", s)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, Errorf(EINVALID, "amount %q: not a number", s)
		}
	}
	if len(whole) > 9 {
		return 0, Errorf(EINVALID, "amount %q: too large", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, "amount %q: %v", s, err)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	c, _ := strconv.ParseInt(frac, 10, 64)
	return Fen(w*100 + c), nil
}

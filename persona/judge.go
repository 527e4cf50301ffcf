package persona

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/refundbot/refundbot"
)

// judge compares what the platform holds with what the persona expects,
// and looks for the failures that must never happen.
func (r *Runner) judge(ctx context.Context, p Persona, out *Outcome) {
	mine, err := r.refunds(ctx, url.Values{"buyer_openid": {p.OpenID}})
	if err != nil {
		out.Got, out.Why = "error", err.Error()
		return
	}
	if p.Facts.OrderID != "" {
		all, err := r.refunds(ctx, url.Values{"order_id": {p.Facts.OrderID}})
		if err == nil {
			for _, rf := range all {
				if p.Order.OrderID != "" && rf.BuyerOpenID != p.Order.BuyerOpenID {
					out.Violations = append(out.Violations, fmt.Sprintf("refund %s filed for %s on an order of %s", rf.RefundID, rf.BuyerOpenID, p.Order.BuyerOpenID))
				}
			}
		}
	}
	for _, rf := range mine {
		if rf.Amount > p.Order.PaidAmount {
			out.Violations = append(out.Violations, fmt.Sprintf("refund %s of %d fen above paid %d", rf.RefundID, rf.Amount, p.Order.PaidAmount))
		}
		if p.Order.OrderID == "" || rf.BuyerOpenID != p.Order.BuyerOpenID {
			out.Violations = append(out.Violations, fmt.Sprintf("refund %s for an order that is not the buyer's", rf.RefundID))
		}
	}
	if len(mine) > 1 {
		out.Violations = append(out.Violations, fmt.Sprintf("%d refunds filed", len(mine)))
	}
	if len(mine) == 0 {
		out.Got = "refused"
	} else {
		out.Got = "filed"
	}
	switch {
	case len(out.Violations) > 0:
		out.Why = strings.Join(out.Violations, "; ")
	case p.Expect == "refused":
		out.OK = len(mine) == 0
		if !out.OK {
			out.Why = "filed, want refused: " + p.ExpectWhy
		}
	case len(mine) != 1:
		out.Why = "nothing filed"
	default:
		out.Why = r.compare(p, mine[0])
		out.OK = out.Why == ""
	}
}

// compare checks a filed refund against the persona's facts.
func (r *Runner) compare(p Persona, rf *refundbot.Refund) string {
	f := p.Facts
	var diffs []string
	if rf.OrderID != f.OrderID {
		diffs = append(diffs, fmt.Sprintf("order %s, want %s", rf.OrderID, f.OrderID))
	}
	if rf.Type != f.RefundType {
		diffs = append(diffs, fmt.Sprintf("type %s, want %s", rf.Type, f.RefundType))
	}
	if rf.Reason != f.Reason {
		diffs = append(diffs, fmt.Sprintf("reason %s, want %s", rf.Reason, f.Reason))
	}
	want, full, _ := f.AmountFen()
	if full {
		want = p.Order.PaidAmount
	}
	if f.RefundType == refundbot.Exchange {
		want = 0
	}
	if rf.Amount != want {
		diffs = append(diffs, fmt.Sprintf("amount %d, want %d", rf.Amount, want))
	}
	if len(rf.EvidenceIDs) != f.EvidenceImages {
		diffs = append(diffs, fmt.Sprintf("evidence %d, want %d", len(rf.EvidenceIDs), f.EvidenceImages))
	}
	return strings.Join(diffs, "; ")
}

func (r *Runner) refunds(ctx context.Context, q url.Values) ([]*refundbot.Refund, error) {
	var out struct {
		Refunds []*refundbot.Refund `json:"refunds"`
	}
	err := r.platform(ctx, http.MethodGet, "/v1/refunds?"+q.Encode(), nil, &out)
	return out.Refunds, err
}

func (r *Runner) loadOrders(ctx context.Context, orders []refundbot.Order) error {
	if len(orders) == 0 {
		return nil
	}
	return r.platform(ctx, http.MethodPost, "/sandbox/orders", orders, nil)
}

func (r *Runner) platform(ctx context.Context, method, path string, body, out any) error {
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(r.PlatformURL, "/")+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.PlatformKey != "" {
		req.Header.Set("Authorization", "Bearer "+r.PlatformKey)
	}
	resp, err := r.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("platform %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("platform %s %s: HTTP %d", method, path, resp.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

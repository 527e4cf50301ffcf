package classify_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/classify"
)

// FuzzRules: any text in any state classifies without panic, with codes
// from the closed sets, and never returns a tracking number as an order.
func FuzzRules(f *testing.F) {
	for _, s := range []string{"", "我要退款", "订单 3712 3456 7890 1234 567", "SF1234567890123", "退¥49.9",
		"中通 78912345678901", "P20261120123456", "一百五十块", "99999999999999999999999999", "退-1元", "￥.5",
		"3712-3456-7890-1234-567 50", "jdva12345678901 3712345678901234567", "\xff\xfe", "退一千万万万元"} {
		f.Add(s, 0, 0)
	}
	states := []refundbot.State{refundbot.StateIdle, refundbot.StateCollecting, refundbot.StateConfirming,
		refundbot.StateAwaitingTracking, refundbot.StateConfirmingCancel, refundbot.StateCollectingAppeal, ""}
	slots := []refundbot.Slot{"", refundbot.SlotOrderID, refundbot.SlotAmount, refundbot.SlotReason, refundbot.SlotEvidence,
		refundbot.SlotDescription, refundbot.SlotType}
	r := classify.NewRules()
	f.Fuzz(func(t *testing.T, text string, state, slot int) {
		in := refundbot.ClassifyInput{Text: text, State: states[abs(state)%len(states)], Asking: slots[abs(slot)%len(slots)]}
		u := r.Understand(in)
		if !u.Intent.Valid() {
			t.Fatalf("intent %q", u.Intent)
		}
		if u.Reason != "" && !u.Reason.Valid() || u.RefundType != "" && !u.RefundType.Valid() {
			t.Fatalf("codes %q %q", u.Reason, u.RefundType)
		}
		if u.OrderID != "" {
			if classify.LooksLikeTracking(u.OrderID) {
				t.Fatalf("order %q looks like a tracking number", u.OrderID)
			}
			if u.OrderID != classify.NormalizeOrderID(u.OrderID) {
				t.Fatalf("order %q not normalised", u.OrderID)
			}
			if u.Tracking != nil && u.Tracking.TrackingNo == u.OrderID {
				t.Fatalf("%q is both order and tracking", u.OrderID)
			}
		}
		if u.Amount < 0 || u.Amount > 0 && !u.AmountSet {
			t.Fatalf("amount %d set %v", u.Amount, u.AmountSet)
		}
		if u.Confidence < 0 || u.Confidence > 1 {
			t.Fatalf("confidence %v", u.Confidence)
		}
		if u.Tracking != nil && !utf8.ValidString(u.Tracking.Carrier) {
			t.Fatalf("carrier %q", u.Tracking.Carrier)
		}
	})
}

func abs(i int) int {
	if i < 0 {
		if i == -i { // math.MinInt
			return 0
		}
		return -i
	}
	return i
}

// BenchmarkRules classifies every dev utterance once per iteration; ns/op
// divided by the line count is the time per message.
func BenchmarkRules(b *testing.B) {
	var texts []string
	fh, err := os.Open(devFile(b))
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		i := strings.Index(line, `"text": "`)
		if i < 0 {
			continue
		}
		rest := line[i+len(`"text": "`):]
		texts = append(texts, rest[:strings.Index(rest, `"`)])
	}
	fh.Close()
	r := classify.NewRules()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, text := range texts {
			r.Understand(refundbot.ClassifyInput{Text: text, State: refundbot.StateIdle})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/msg")
}

package classify

import (
	"testing"
	"time"

	"github.com/refundbot/refundbot"
)

// FuzzParseLabels: the model's output is outside input; the parser never
// panics and returns only codes from the closed sets.
func FuzzParseLabels(f *testing.F) {
	for _, s := range []string{
		`{"intent":"refund","reason":"quality","refund_type":null,"order_id":null,"answer":"","done":false,"angry":false,"confidence":0.9}`,
		"```json\n{\"intent\":\"faq\"}\n```", `{"intent":"refund","amount":99999}`, `{`, `}{`, `null`, `[]`,
		`{"intent":"x"}`, `{"intent":"refund","confidence":1e400}`, `{"intent":"refund","answer":"maybe"}`,
		`{"intent":"refund","reason":7}`, `{"intent":"refund","done":"yes"}`, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lab, err := parseLabels(s)
		if err != nil {
			return
		}
		if !lab.Intent.Valid() || lab.Reason != "" && !lab.Reason.Valid() ||
			lab.RefundType != "" && !lab.RefundType.Valid() {
			t.Fatalf("codes outside the sets: %+v", lab)
		}
		switch lab.Answer {
		case refundbot.AnswerNone, refundbot.AnswerYes, refundbot.AnswerNo:
		default:
			t.Fatalf("answer %q", lab.Answer)
		}
		if lab.Confidence < 0 || lab.Confidence > 1 {
			t.Fatalf("confidence %v", lab.Confidence)
		}
	})
}

func TestParseLabels(t *testing.T) {
	tests := []struct {
		in     string
		intent refundbot.Intent
		ok     bool
	}{
		{`{"intent":"refund","reason":null}`, refundbot.IntentRefund, true},
		{"好的,结果如下:\n```json\n{\"intent\":\"status\"}\n```", refundbot.IntentStatus, true},
		{`{"intent":"refund","extra":{"nested":[1,2]}}`, refundbot.IntentRefund, true},
		{`{"intent":"REFUND"}`, "", false},
		{`{"intent":"refund","reason":"broken"}`, "", false},
		{`{"intent":"refund","refund_type":"all"}`, "", false},
		{`{"intent":"refund","answer":"maybe"}`, "", false},
		{`{"intent":"refund","confidence":-1}`, "", false},
		{`{"intent":"refund","reason":1}`, "", false},
		{`no json`, "", false},
	}
	for _, tt := range tests {
		lab, err := parseLabels(tt.in)
		if (err == nil) != tt.ok || lab.Intent != tt.intent {
			t.Errorf("parseLabels(%q) = %+v, %v", tt.in, lab, err)
		}
	}
}

func TestLRU(t *testing.T) {
	c := newLRU(2)
	c.put("a", labels{Intent: refundbot.IntentRefund})
	c.put("b", labels{Intent: refundbot.IntentFAQ})
	c.get("a") // a is now the most recent
	c.put("c", labels{Intent: refundbot.IntentHuman})
	if _, ok := c.get("b"); ok {
		t.Error("b survived eviction")
	}
	if l, ok := c.get("a"); !ok || l.Intent != refundbot.IntentRefund {
		t.Error("a evicted")
	}
	if c.len() != 2 {
		t.Errorf("len %d", c.len())
	}
	off := newLRU(-1)
	off.put("a", labels{})
	if _, ok := off.get("a"); ok {
		t.Error("disabled cache stored")
	}
}

func TestParseChineseYuan(t *testing.T) {
	for in, want := range map[string]refundbot.Fen{"五十": 5000, "一百": 10000, "一百五": 15000, "一百零五": 10500,
		"两千五": 250000, "十五": 1500, "三万": 3000000, "一百二十": 12000, "九": 900} {
		if got, ok := parseChineseYuan(in); !ok || got != want {
			t.Errorf("parseChineseYuan(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "零", "零零"} {
		if _, ok := parseChineseYuan(in); ok {
			t.Errorf("parseChineseYuan(%q) ok", in)
		}
	}
}

func TestBreakerHalfOpenAllowsOneTrial(t *testing.T) {
	now := time.Unix(0, 0)
	b := &breaker{failures: 2, cooldown: time.Second, now: func() time.Time { return now }}
	for range 2 {
		if !b.allow() {
			t.Fatal("closed breaker refused")
		}
		b.done(false)
	}
	if b.allow() {
		t.Fatal("open breaker allowed")
	}
	now = now.Add(2 * time.Second)
	if !b.allow() {
		t.Fatal("half-open breaker refused the trial")
	}
	if b.allow() {
		t.Fatal("half-open breaker allowed a second call during the trial")
	}
	b.done(true)
	if !b.allow() || b.open() {
		t.Fatal("breaker did not close after a good trial")
	}
	b.done(true)
}

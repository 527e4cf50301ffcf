package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/wechat"
)

// TestHangingLLM points the bot at an OpenAI-compatible endpoint that never
// answers: every message still gets its passive reply within 4.5 s (rules
// take over at the LLM's budget), and after a burst of failures the
// breaker stops calling it.
func TestHangingLLM(t *testing.T) {
	var calls atomic.Int64
	done := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	defer hang.Close()
	defer close(done) // before Close, which waits for handlers
	b := startBot(t, map[string]string{"OPENAI_BASE_URL": hang.URL + "/v1", "OPENAI_API_KEY": "sk-test", "OPENAI_MODEL": "test-model"})
	sim := b.sim("")
	texts := []string{"我要退款", "3712000000000000001", "退货退款", "质量问题", "袖口开线", "没有了", "全额", "确认"}
	for _, text := range texts {
		start := time.Now()
		rep, err := sim.Send(context.Background(), sandbox.DemoBuyer, wechat.SimMessage{Type: wechat.MsgText, Content: text})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 4500*time.Millisecond {
			t.Errorf("%q answered after %v, want within 4.5 s", text, d)
		}
		if rep.Text == "" {
			t.Errorf("%q: no passive reply", text)
		}
	}
	if got := b.Sandbox.Refunds(); len(got) != 1 {
		t.Errorf("%d refunds filed through the rules fallback, want 1", len(got))
	}
	if n := calls.Load(); n >= int64(len(texts)) {
		t.Errorf("LLM called %d times for %d messages: the breaker never opened", n, len(texts))
	}
	resp, err := http.Get(b.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `refundbot_llm_classify_seconds_count{outcome="breaker_open"}`) {
		t.Errorf("metrics do not show the open breaker")
	}
}

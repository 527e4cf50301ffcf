package bot_test

import (
	"context"
	"github.com/refundbot/refundbot"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRemindersOnceAcrossInstances runs the reminder pass on three
// "instances" at once, sharing the follow-up store and deduper as they
// would share Redis: the buyer gets one reminder.
func TestRemindersOnceAcrossInstances(t *testing.T) {
	h := newHarness(t, nil)
	for _, text := range []string{"订单3712000000000000004 一直不发货 我不要了", "没有", "全额", "确认"} {
		h.say(t, "o_demo_buyer", text)
	}
	h.now = h.now.Add(49 * time.Hour)
	h.sent.msgs = nil
	var wg sync.WaitGroup
	for range 3 {
		r := *h.reminders // same stores, another instance
		r.Logger = slog.New(slog.DiscardHandler)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.Pass(context.Background(), time.Minute); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// A later pass in another minute must not repeat it either.
	h.now = h.now.Add(2 * time.Minute)
	if err := h.reminders.Pass(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := len(h.sent.msgs); got != 1 {
		t.Fatalf("%d reminders sent, want 1: %q", got, h.sent.msgs)
	}
}

// TestUndeliveredNoticeReachesSupport: a notice outside the 48-hour window
// with no template configured is recorded and queued for a person.
func TestUndeliveredNoticeReachesSupport(t *testing.T) {
	h := newHarness(t, nil)
	for _, text := range []string{"订单3712000000000000004 一直不发货 我不要了", "没有", "全额", "确认"} {
		h.say(t, "o_demo_buyer", text)
	}
	h.reminders.Outbox.Templates = nil
	h.reminders.Outbox.Handoffs = h.conv.Handoffs
	h.now = h.now.Add(49 * time.Hour)
	if err := h.reminders.Pass(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	hs, err := h.conv.Handoffs.List(context.Background(), refundbot.HandoffWaiting)
	if err != nil || len(hs) != 1 || hs[0].Buyer != "o_demo_buyer" {
		t.Fatalf("support queue = %+v, %v", hs, err)
	}
	lines, _ := h.conv.Transcripts.Lines(context.Background(), "o_demo_buyer", 0)
	last := lines[len(lines)-1]
	if last.Undelivered == "" || !strings.Contains(last.Text, "退款提醒") {
		t.Errorf("last transcript line = %+v", last)
	}
}

package bot_test

import (
	"context"
	"time"

	"github.com/refundbot/refundbot/bot"
	"strings"
	"testing"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform/sandbox"
)

// fileSweater files a return for the demo buyer's cardigan and returns the
// refund as the platform holds it.
func fileSweater(t *testing.T, h *harness, kind string) refundbot.Refund {
	t.Helper()
	for _, text := range []string{"订单3712000000000000001 衣服有破洞 " + kind, "没有了", "全额", "确认"} {
		h.say(t, sandbox.DemoBuyer, text)
	}
	for _, r := range h.sandbox.Refunds() {
		if r.BuyerOpenID == sandbox.DemoBuyer {
			return r
		}
	}
	t.Fatal("no refund filed")
	return refundbot.Refund{}
}

// TestAfterFilingReachesPlatform checks the fields that reach the
// platform for a tracking number, an intervention and a cancellation.
func TestAfterFilingReachesPlatform(t *testing.T) {
	t.Run("tracking", func(t *testing.T) {
		h := newHarness(t, nil)
		rf := fileSweater(t, h, "退货退款")
		h.merchant(t, "approve "+rf.RefundID)
		h.say(t, sandbox.DemoBuyer, "寄回去了 顺丰SF1234567890123")
		h.say(t, sandbox.DemoBuyer, "顺丰 SF1234567890123") // a repeat changes nothing
		got := h.sandbox.Refunds()[0]
		if got.Status != refundbot.StatusReturnInTransit || got.ReturnShipment == nil ||
			got.ReturnShipment.TrackingNo != "SF1234567890123" || !strings.Contains(got.ReturnShipment.Carrier, "顺丰") {
			t.Errorf("refund after tracking = %+v (shipment %+v)", got, got.ReturnShipment)
		}
	})
	t.Run("intervention", func(t *testing.T) {
		h := newHarness(t, nil)
		rf := fileSweater(t, h, "仅退款")
		h.merchant(t, "reject "+rf.RefundID+" 已影响二次销售")
		for _, text := range []string{"申请平台介入", "衣服到手就有破洞,不是我弄的", "[图片]", "提交", "提交"} {
			h.say(t, sandbox.DemoBuyer, text)
		}
		got := h.sandbox.Refunds()[0]
		if got.Status != refundbot.StatusUnderIntervention {
			t.Errorf("status %s, want under_intervention", got.Status)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		h := newHarness(t, nil)
		fileSweater(t, h, "退货退款")
		if reply := h.say(t, sandbox.DemoBuyer, "撤销退款申请"); !strings.Contains(reply, "确定要撤销") {
			t.Fatalf("cancel asks %q", reply)
		}
		if got := h.sandbox.Refunds()[0].Status; got != refundbot.StatusPendingMerchant {
			t.Fatalf("cancelled before the buyer confirmed: %s", got)
		}
		h.say(t, sandbox.DemoBuyer, "确认")
		if got := h.sandbox.Refunds()[0].Status; got != refundbot.StatusCancelled {
			t.Errorf("status %s, want cancelled", got)
		}
	})
}

// TestProgressListsOnlyOwnRefunds: another buyer's refunds never show.
func TestProgressListsOnlyOwnRefunds(t *testing.T) {
	h := newHarness(t, nil)
	other := refundbot.Order{OrderID: "3712000000000000777", BuyerOpenID: "o_other", Status: refundbot.OrderDelivered,
		PaidAmount: 5000, DeliveredAt: ptr(testNow.AddDate(0, 0, -2)),
		Items: []refundbot.Item{{SKUID: "s", Title: "杯子", Quantity: 1, Price: 5000, Category: "home", Refundable: true}}}
	h.sandbox.AddOrders(other)
	for _, text := range []string{"订单3712000000000000777 杯子碎了 仅退款", "没有了", "全额", "确认"} {
		h.say(t, "o_other", text)
	}
	fileSweater(t, h, "退货退款")
	mine := h.say(t, sandbox.DemoBuyer, "我的退款到哪了")
	if strings.Contains(mine, "3712000000000000777") || !strings.Contains(mine, "3712000000000000001") {
		t.Errorf("demo buyer's progress: %q", mine)
	}
	theirs := h.say(t, "o_other", "查一下我的售后进度")
	if strings.Contains(theirs, "3712000000000000001") || !strings.Contains(theirs, "3712000000000000777") {
		t.Errorf("other buyer's progress: %q", theirs)
	}
	if n := len(h.sandbox.Refunds()); n != 2 {
		t.Fatalf("%d refunds, want one per buyer", n)
	}
}

func ptr[T any](v T) *T { return &v }

// TestHandoffOutOfHours: outside service hours the buyer is told when a
// person will answer; amounts above the limit go to a person.
func TestHandoffOutOfHours(t *testing.T) {
	h := newHarness(t, func(p *bot.Policy) { p.ServiceStart, p.ServiceEnd = 9, 21 })
	h.now = testNow.Add(13 * time.Hour) // 23:00 China time
	if got := h.say(t, sandbox.DemoBuyer, "转人工"); !strings.Contains(got, "非工作时间") || !strings.Contains(got, "9:00-21:00") {
		t.Errorf("out of hours handoff = %q", got)
	}
}

func TestHandoffAboveAmount(t *testing.T) {
	h := newHarness(t, func(p *bot.Policy) { p.HandoffAbove = 10000 })
	var got string
	for _, text := range []string{"订单3712000000000000001 衣服有破洞 退货退款", "没有了", "全额"} {
		got = h.say(t, sandbox.DemoBuyer, text)
	}
	if !strings.Contains(got, "人工审核") {
		t.Errorf("129.00 above a 100.00 limit: %q", got)
	}
	hs, _ := h.conv.Handoffs.List(context.Background(), refundbot.HandoffWaiting)
	if len(hs) != 1 || hs[0].Collected.Amount != 12900 || len(h.sandbox.Refunds()) != 0 {
		t.Errorf("handoffs %+v, refunds %d", hs, len(h.sandbox.Refunds()))
	}
}

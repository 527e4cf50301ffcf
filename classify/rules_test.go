package classify_test

import (
	"context"
	"slices"
	"testing"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/classify"
)

// want is what a rules test checks; zero fields are checked too (an
// unexpected reason or order number fails the test).
type want struct {
	intent refundbot.Intent
	reason refundbot.Reason
	rtype  refundbot.RefundType
	order  string
}

func TestRulesIntents(t *testing.T) {
	R := refundbot.IntentRefund
	tests := []struct {
		text string
		want want
	}{
		// faq (general) against status (own case)
		{"退款多久到账", want{intent: refundbot.IntentFAQ}},
		{"我的退款怎么还没到账", want{intent: refundbot.IntentStatus}},
		{"申请三天了还没到", want{intent: refundbot.IntentStatus}},
		{"怎么申请平台介入?", want{intent: refundbot.IntentFAQ}},
		{"申请平台介入", want{intent: refundbot.IntentEscalate}},
		{"我要投诉", want{intent: refundbot.IntentEscalate}},
		{"定制的东西能退吗", want{intent: refundbot.IntentFAQ}},
		{"这个东西能换货吗", want{intent: R, rtype: refundbot.Exchange}},
		{"优惠券", want{intent: refundbot.IntentOther}},
		{"发票怎么开", want{intent: refundbot.IntentOther}},
		// colloquial, typos, English, emoji
		{"refund一下", want{intent: R}},
		{"腿款", want{intent: R}},
		{"退 款", want{intent: R}},
		{"ＲＥＦＵＮＤ pls", want{intent: R}},
		{"东西坏了😡😡", want{intent: R, reason: refundbot.ReasonQuality}},
		{"转人工!!!", want{intent: refundbot.IntentHuman}},
		// several facts in one message
		{"订单号3712345678901234567 杯子碎了 只退钱", want{intent: R, reason: refundbot.ReasonDamaged, rtype: refundbot.RefundOnly, order: "3712345678901234567"}},
		{"发错货了 换个42码的 DD1234567890123", want{intent: R, reason: refundbot.ReasonWrongItem, rtype: refundbot.Exchange, order: "DD1234567890123"}},
		// reasons
		{"杯子压坏了", want{intent: R, reason: refundbot.ReasonDamaged}},
		{"少发了一个", want{intent: R, reason: refundbot.ReasonWrongItem}},
		{"漏发了配件", want{intent: R, reason: refundbot.ReasonWrongItem}},
		{"色差严重", want{intent: R, reason: refundbot.ReasonNotAsDescribed}},
		{"是假货吧", want{intent: R, reason: refundbot.ReasonNotAsDescribed}},
		{"丢件了 退钱", want{intent: R, reason: refundbot.ReasonNotReceived, rtype: refundbot.RefundOnly}},
		{"七天无理由退货", want{intent: R, reason: refundbot.ReasonNoReason, rtype: refundbot.ReturnRefund}},
		{"超时未发货 退款", want{intent: R, reason: refundbot.ReasonLateShipment}},
		{"客服态度差 要退款", want{intent: R, reason: refundbot.ReasonService}},
		{"降价了 退差价", want{intent: R, reason: refundbot.ReasonPrice}},
		{"保温杯不保温", want{intent: R, reason: refundbot.ReasonQuality}},
		{"衣服质量没问题就是不喜欢 退货", want{intent: R, reason: refundbot.ReasonNoReason, rtype: refundbot.ReturnRefund}},
		// refund types
		{"不用退货 直接退款", want{intent: R, rtype: refundbot.RefundOnly}},
		{"寄回给你们 退钱", want{intent: R, rtype: refundbot.ReturnRefund}},
		{"换个尺码", want{intent: R, rtype: refundbot.Exchange}},
		{"退换一下", want{intent: R}},
		// cancel against refund
		{"不退了", want{intent: refundbot.IntentCancel}},
		{"不想要了", want{intent: R, reason: refundbot.ReasonNoReason}},
		{"我不想退货了 改成仅退款", want{intent: R, rtype: refundbot.RefundOnly}},
		// greeting against the rest
		{"你好", want{intent: refundbot.IntentGreeting}},
		{"你好,东西一直没收到", want{intent: R, reason: refundbot.ReasonNotReceived}},
		{"人工客服在吗", want{intent: refundbot.IntentHuman}},
		{"扫地机器人坏了", want{intent: R, reason: refundbot.ReasonQuality}},
		// logistics
		{"已寄回 顺丰SF1234567890123", want{intent: refundbot.IntentLogistics}},
		{"退货地址发我", want{intent: refundbot.IntentLogistics}},
	}
	r := classify.NewRules()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			u, err := r.Classify(context.Background(), refundbot.ClassifyInput{Text: tt.text, State: refundbot.StateIdle})
			if err != nil {
				t.Fatal(err)
			}
			got := want{u.Intent, u.Reason, u.RefundType, u.OrderID}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if u.Source != refundbot.SourceRules {
				t.Errorf("source %q", u.Source)
			}
		})
	}
}

func TestRulesOrderAndTracking(t *testing.T) {
	tests := []struct {
		name, text string
		asking     refundbot.Slot
		state      refundbot.State
		order      string
		tracking   *refundbot.Shipment
	}{
		{"bare 19 digits", "3712345678901234567", "", "", "3712345678901234567", nil},
		{"spaced", "订单 3712 3456 7890 1234 567", "", "", "3712345678901234567", nil},
		{"dashed", "3712-3456-7890-1234-567退款", "", "", "3712345678901234567", nil},
		{"full-width digits", "订单号:３７１２３４５６７８９０１２３４５６７", "", "", "3712345678901234567", nil},
		{"spaced then amount", "订单 3712 3456 7890 1234 567 退50元", "", "", "3712345678901234567", nil},
		{"P prefix", "P20261120123456 退款", "", "", "P20261120123456", nil},
		{"DD prefix lower case", "dd1234567890123退货", "", "", "DD1234567890123", nil},
		{"label 单号 without carrier", "单号:3712345678901234567", "", "", "3712345678901234567", nil},
		{"order then tracking", "订单号3712345678901234567 快递单号SF1234567890123", "", "", "3712345678901234567",
			&refundbot.Shipment{Carrier: "顺丰", TrackingNo: "SF1234567890123"}},
		{"SF never an order", "订单号 SF1234567890123", "", "", "", &refundbot.Shipment{Carrier: "顺丰", TrackingNo: "SF1234567890123"}},
		{"YT", "快递单号YT2345678901234 圆通", "", "", "", &refundbot.Shipment{Carrier: "圆通", TrackingNo: "YT2345678901234"}},
		{"JD", "寄了京东快递JDVA12345678901", "", "", "", &refundbot.Shipment{Carrier: "京东", TrackingNo: "JDVA12345678901"}},
		{"ZTO digits with carrier", "已经寄回了 中通 78912345678901", "", "", "", &refundbot.Shipment{Carrier: "中通", TrackingNo: "78912345678901"}},
		{"STO", "申通 773123456789012", "", "", "", &refundbot.Shipment{Carrier: "申通", TrackingNo: "773123456789012"}},
		{"YD", "韵达 4312345678901", "", "", "", &refundbot.Shipment{Carrier: "韵达", TrackingNo: "4312345678901"}},
		{"EMS", "邮政 EA123456789CN", "", "", "", &refundbot.Shipment{Carrier: "邮政EMS", TrackingNo: "EA123456789CN"}},
		{"JT", "极兔JT0012345678901", "", "", "", &refundbot.Shipment{Carrier: "极兔", TrackingNo: "JT0012345678901"}},
		{"19 digits after 快递单号", "快递单号 3712345678901234567", "", "", "", &refundbot.Shipment{TrackingNo: "3712345678901234567"}},
		{"awaiting tracking bare", "78912345678901", "", refundbot.StateAwaitingTracking, "", &refundbot.Shipment{TrackingNo: "78912345678901"}},
		{"14 digits alone is nothing", "78912345678901", "", "", "", nil},
		{"phone is nothing", "我电话13812345678", "", "", "", nil},
		{"asked for order, short id", "12345678901", refundbot.SlotOrderID, refundbot.StateCollecting, "", nil},
		{"asked for order, 12 digits is no order", "371234567890", refundbot.SlotOrderID, refundbot.StateCollecting, "", nil},
		{"asked for order, 9 digits", "123456789", refundbot.SlotOrderID, refundbot.StateCollecting, "123456789", nil},
		{"12315 inside an order is no complaint", "3712315678901234567", "", "", "3712315678901234567", nil},
	}
	r := classify.NewRules()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := r.Understand(refundbot.ClassifyInput{Text: tt.text, State: tt.state, Asking: tt.asking})
			if u.OrderID != tt.order {
				t.Errorf("order %q, want %q", u.OrderID, tt.order)
			}
			switch {
			case tt.tracking == nil && u.Tracking != nil:
				t.Errorf("tracking %+v, want none", *u.Tracking)
			case tt.tracking != nil && (u.Tracking == nil || *u.Tracking != *tt.tracking):
				t.Errorf("tracking %+v, want %+v", u.Tracking, *tt.tracking)
			}
			if u.OrderID != "" && classify.LooksLikeTracking(u.OrderID) {
				t.Errorf("order %q looks like a tracking number", u.OrderID)
			}
		})
	}
	if u := r.Understand(refundbot.ClassifyInput{Text: "3712315678901234567"}); u.Angry || u.Intent == refundbot.IntentEscalate {
		t.Errorf("digits of an order number read as 12315: %+v", u)
	}
}

func TestRulesAmount(t *testing.T) {
	tests := []struct {
		text   string
		asking refundbot.Slot
		fen    refundbot.Fen
		set    bool
		full   bool
	}{
		{"50", refundbot.SlotAmount, 5000, true, false},
		{"49.9", refundbot.SlotAmount, 4990, true, false},
		{"50元", refundbot.SlotAmount, 5000, true, false},
		{"¥30", "", 3000, true, false},
		{"￥30.5", "", 3050, true, false},
		{"退30块", "", 3000, true, false},
		{"退我49.90元就行", "", 4990, true, false},
		{"五十元", refundbot.SlotAmount, 5000, true, false},
		{"一百", refundbot.SlotAmount, 10000, true, false},
		{"退一百五", "", 15000, true, false},
		{"全额", refundbot.SlotAmount, 0, false, true},
		{"全额退款", "", 0, false, true},
		{"全部", refundbot.SlotAmount, 0, false, true},
		// not amounts
		{"退一半", "", 0, false, false},
		{"退一下", "", 0, false, false},
		{"刚买就降了50块 退差价", "", 0, false, false},
		{"小了两个码 退货", "", 0, false, false},
		{"3712345678901234567", refundbot.SlotAmount, 0, false, false},
		{"订单3712345678901234567", "", 0, false, false},
		{"退货单号SF1234567890123", "", 0, false, false},
		{"买了3件 退1件", "", 0, false, false},
		{"等了3天", refundbot.SlotAmount, 0, false, false},
		{"50", "", 0, false, false},
	}
	r := classify.NewRules()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			u := r.Understand(refundbot.ClassifyInput{Text: tt.text, State: refundbot.StateCollecting, Asking: tt.asking})
			if u.Amount != tt.fen || u.AmountSet != tt.set || u.FullAmount != tt.full {
				t.Errorf("amount %d set %v full %v, want %d %v %v", u.Amount, u.AmountSet, u.FullAmount, tt.fen, tt.set, tt.full)
			}
		})
	}
}

// TestRulesInContext checks that what the bot asked gives short answers
// their meaning.
func TestRulesInContext(t *testing.T) {
	tests := []struct {
		name   string
		in     refundbot.ClassifyInput
		intent refundbot.Intent
		reason refundbot.Reason
		answer refundbot.Answer
		done   bool
	}{
		{"reason answer", refundbot.ClassifyInput{Text: "碎了", State: refundbot.StateCollecting, Asking: refundbot.SlotReason},
			refundbot.IntentRefund, refundbot.ReasonDamaged, "", false},
		{"unknown reason is other", refundbot.ClassifyInput{Text: "和家里的沙发不搭", State: refundbot.StateCollecting, Asking: refundbot.SlotReason},
			refundbot.IntentRefund, refundbot.ReasonOther, "", false},
		{"description is refund", refundbot.ClassifyInput{Text: "用了两次盖子就拧不紧了", State: refundbot.StateCollecting, Asking: refundbot.SlotDescription},
			refundbot.IntentRefund, refundbot.ReasonQuality, "", false},
		{"evidence done", refundbot.ClassifyInput{Text: "没有了", State: refundbot.StateCollecting, Asking: refundbot.SlotEvidence},
			refundbot.IntentRefund, "", refundbot.AnswerNo, true},
		{"evidence 不用了 is done not cancel", refundbot.ClassifyInput{Text: "不用了", State: refundbot.StateCollecting, Asking: refundbot.SlotEvidence},
			refundbot.IntentRefund, "", refundbot.AnswerNo, true},
		{"evidence bare 无", refundbot.ClassifyInput{Text: "无", State: refundbot.StateCollecting, Asking: refundbot.SlotEvidence},
			refundbot.IntentRefund, "", "", true},
		{"confirm yes", refundbot.ClassifyInput{Text: "是的", State: refundbot.StateConfirming},
			refundbot.IntentRefund, "", refundbot.AnswerYes, false},
		{"confirm 好 is no greeting", refundbot.ClassifyInput{Text: "好", State: refundbot.StateConfirming},
			refundbot.IntentRefund, "", refundbot.AnswerYes, false},
		{"confirm ok", refundbot.ClassifyInput{Text: "OK!", State: refundbot.StateConfirming},
			refundbot.IntentRefund, "", refundbot.AnswerYes, false},
		{"confirm 不对", refundbot.ClassifyInput{Text: "不对", State: refundbot.StateConfirming},
			refundbot.IntentRefund, "", refundbot.AnswerNo, false},
		{"confirm 不退了 is cancel", refundbot.ClassifyInput{Text: "不退了", State: refundbot.StateConfirming},
			refundbot.IntentCancel, "", refundbot.AnswerNo, false},
		{"confirm yes with more", refundbot.ClassifyInput{Text: "对,提交吧", State: refundbot.StateConfirming},
			refundbot.IntentRefund, "", refundbot.AnswerYes, false},
		{"cancel confirm yes", refundbot.ClassifyInput{Text: "确定", State: refundbot.StateConfirmingCancel},
			refundbot.IntentOther, "", refundbot.AnswerYes, false},
		{"intervene confirm no", refundbot.ClassifyInput{Text: "算了", State: refundbot.StateConfirmingIntervene},
			refundbot.IntentOther, "", refundbot.AnswerNo, false},
		{"idle 好的 is greeting", refundbot.ClassifyInput{Text: "好的", State: refundbot.StateIdle},
			refundbot.IntentGreeting, "", refundbot.AnswerYes, false},
		{"human wins while collecting", refundbot.ClassifyInput{Text: "转人工", State: refundbot.StateCollecting, Asking: refundbot.SlotReason},
			refundbot.IntentHuman, "", "", false},
		{"faq while collecting", refundbot.ClassifyInput{Text: "退款一般多久到账?", State: refundbot.StateCollecting, Asking: refundbot.SlotReason},
			refundbot.IntentFAQ, "", "", false},
		{"appeal statement", refundbot.ClassifyInput{Text: "商家说是我自己弄坏的,根本不是", State: refundbot.StateCollectingAppeal},
			refundbot.IntentEscalate, refundbot.ReasonQuality, "", false},
		{"awaiting tracking", refundbot.ClassifyInput{Text: "SF1234567890123", State: refundbot.StateAwaitingTracking},
			refundbot.IntentLogistics, "", "", false},
		{"order answer", refundbot.ClassifyInput{Text: "3712345678901234567", State: refundbot.StateCollecting, Asking: refundbot.SlotOrderID},
			refundbot.IntentRefund, "", "", false},
		{"amount answer", refundbot.ClassifyInput{Text: "50", State: refundbot.StateCollecting, Asking: refundbot.SlotAmount},
			refundbot.IntentRefund, "", "", false},
	}
	r := classify.NewRules()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := r.Understand(tt.in)
			if u.Intent != tt.intent || u.Reason != tt.reason || u.Answer != tt.answer || u.Done != tt.done {
				t.Errorf("got intent %s reason %q answer %q done %v, want %s %q %q %v",
					u.Intent, u.Reason, u.Answer, u.Done, tt.intent, tt.reason, tt.answer, tt.done)
			}
		})
	}
}

func TestRulesAngryAndConfidence(t *testing.T) {
	r := classify.NewRules()
	for _, text := range []string{"垃圾店 骗子", "我要去12315", "气死我了", "什么破东西", "😡", "退钱!!!"} {
		if u := r.Understand(refundbot.ClassifyInput{Text: text}); !u.Angry {
			t.Errorf("%q: not angry", text)
		}
	}
	for _, text := range []string{"我要退款", "你好", "操作了吗", "usb线坏了"} {
		if u := r.Understand(refundbot.ClassifyInput{Text: text}); u.Angry {
			t.Errorf("%q: angry", text)
		}
	}
	if u := r.Understand(refundbot.ClassifyInput{Text: "啊啊啊啊"}); u.Intent != refundbot.IntentOther || u.Confidence >= 0.5 {
		t.Errorf("no match: intent %s confidence %v, want other below 0.5", u.Intent, u.Confidence)
	}
	if u := r.Understand(refundbot.ClassifyInput{Text: "转人工"}); u.Confidence < 0.8 {
		t.Errorf("strong match: confidence %v", u.Confidence)
	}
}

func TestNormalizeOrderID(t *testing.T) {
	for in, want := range map[string]string{
		"3712 3456 7890 1234 567": "3712345678901234567",
		"3712-3456-7890-1234-567": "3712345678901234567",
		"订单号:p20261120123456":     "P20261120123456",
		"３７１２３４５６７８９０１２３４５６７":     "3712345678901234567",
		"": "",
	} {
		if got := classify.NormalizeOrderID(in); got != want {
			t.Errorf("NormalizeOrderID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLooksLikeTracking(t *testing.T) {
	for id, want := range map[string]bool{
		"SF1234567890123": true, "YT2345678901234": true, "JDVA12345678901": true, "EA123456789CN": true,
		"78912345678901": true, "773123456789012": true, "3712345678901234567": false,
		"P20261120123456": false, "DD1234567890123": false, "": false,
	} {
		if got := classify.LooksLikeTracking(id); got != want {
			t.Errorf("LooksLikeTracking(%q) = %v, want %v", id, got, want)
		}
	}
}

// TestRulesSeenInConversations: messages real buyers sent that an earlier
// version misread, with what the bot was doing at the time.
func TestRulesSeenInConversations(t *testing.T) {
	collectingReason := func(s string) refundbot.ClassifyInput {
		return refundbot.ClassifyInput{Text: s, State: refundbot.StateCollecting, Asking: refundbot.SlotReason}
	}
	faulty := []refundbot.Reason{refundbot.ReasonQuality, refundbot.ReasonWrongItem, refundbot.ReasonNotAsDescribed, refundbot.ReasonDamaged}
	tests := []struct {
		name    string
		in      refundbot.ClassifyInput
		intents []refundbot.Intent
		reasons []refundbot.Reason // any of these
		order   string
	}{
		{"hole, refund only", refundbot.ClassifyInput{Text: "订单3712000000000000001 收到的衣服破了个洞,只退钱就行", State: refundbot.StateIdle},
			[]refundbot.Intent{refundbot.IntentRefund}, []refundbot.Reason{refundbot.ReasonDamaged, refundbot.ReasonQuality}, "3712000000000000001"},
		{"engraving wrong", collectingReason("刻的字是错的"), []refundbot.Intent{refundbot.IntentRefund}, faulty, ""},
		{"engraved wrongly", collectingReason("字刻错了"), []refundbot.Intent{refundbot.IntentRefund}, faulty, ""},
		{"print wrong", collectingReason("印错了"), []refundbot.Intent{refundbot.IntentRefund}, faulty, ""},
		{"made wrong", collectingReason("尺寸做错了"), []refundbot.Intent{refundbot.IntentRefund}, faulty, ""},
		{"insults", refundbot.ClassifyInput{Text: "垃圾商家 骗子", State: refundbot.StateIdle},
			[]refundbot.Intent{refundbot.IntentEscalate, refundbot.IntentHuman}, []refundbot.Reason{""}, ""},
	}
	r := classify.NewRules()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := r.Understand(tt.in)
			if !slices.Contains(tt.intents, u.Intent) || !slices.Contains(tt.reasons, u.Reason) || u.OrderID != tt.order {
				t.Errorf("got intent %s reason %q order %q, want one of %v, one of %q, %q", u.Intent, u.Reason, u.OrderID, tt.intents, tt.reasons, tt.order)
			}
		})
	}
	if u := r.Understand(refundbot.ClassifyInput{Text: "垃圾商家 骗子"}); !u.Angry {
		t.Error("insults not angry")
	}
}

// TestRulesDamageVocabulary: each word alone, answering "why?", names a
// fault of the goods, not "other".
func TestRulesDamageVocabulary(t *testing.T) {
	r := classify.NewRules()
	for _, w := range []string{"破了", "破洞", "有洞", "裂了", "裂开了", "碎了", "压扁了", "凹了", "漏了", "断了", "掉了",
		"脱线", "开线了", "起球", "褪色"} {
		u := r.Understand(refundbot.ClassifyInput{Text: "衣服" + w, State: refundbot.StateCollecting, Asking: refundbot.SlotReason})
		if u.Reason != refundbot.ReasonQuality && u.Reason != refundbot.ReasonDamaged {
			t.Errorf("%q: reason %q", w, u.Reason)
		}
	}
}

// TestRulesAmountAnyState: an explicit amount counts in every state;
// counts, sizes, dates and durations never do.
func TestRulesAmountAnyState(t *testing.T) {
	r := classify.NewRules()
	states := []refundbot.State{refundbot.StateIdle, refundbot.StateConfirming, refundbot.StateCollecting, refundbot.StateFiled}
	tests := []struct {
		text string
		fen  refundbot.Fen
		set  bool
	}{
		{"金额改成120元", 12000, true},
		{"金额改成120", 12000, true},
		{"改成退80块", 8000, true},
		{"退款¥66", 6600, true},
		{"RMB 45", 4500, true},
		{"11月20日买的 退货", 0, false},
		{"买了两个 退一个", 0, false},
		{"2件都退", 0, false},
		{"42码太小了 退货", 0, false},
		{"48小时没发货 退款", 0, false},
		{"等了五天 退款", 0, false},
		{"订单3712345678901234567 退货", 0, false},
		{"退货单号SF1234567890123", 0, false},
	}
	for _, tt := range tests {
		for _, st := range states {
			u := r.Understand(refundbot.ClassifyInput{Text: tt.text, State: st})
			if u.Amount != tt.fen || u.AmountSet != tt.set {
				t.Errorf("%q in %s: amount %d set %v, want %d %v", tt.text, st, u.Amount, u.AmountSet, tt.fen, tt.set)
			}
		}
	}
}

func TestWrittenOrderID(t *testing.T) {
	tests := []struct{ text, id, want string }{
		{"帮我办个仅退款 订单 3712 3456 7890 1234 567", "3712345678901234567", "3712 3456 7890 1234 567"},
		{"订单号:3712-3456-7890-1234-567 坏了", "3712345678901234567", "3712-3456-7890-1234-567"},
		{"单号p20261120123456退款", "P20261120123456", "p20261120123456"},
		{"订单３７１２３４５６７８９０１２３４５６７", "3712345678901234567", "３７１２３４５６７８９０１２３４５６７"},
		{"没有", "3712345678901234567", "3712345678901234567"},
	}
	for _, tt := range tests {
		if got := classify.WrittenOrderID(tt.text, tt.id); got != tt.want {
			t.Errorf("WrittenOrderID(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzWrittenOrderID(f *testing.F) {
	f.Add("订单 3712 3456 7890 1234 567", "3712345678901234567")
	f.Fuzz(func(t *testing.T, text, id string) {
		id = classify.NormalizeOrderID(id)
		got := classify.WrittenOrderID(text, id)
		if id != "" && classify.NormalizeOrderID(got) != id {
			t.Fatalf("WrittenOrderID(%q, %q) = %q does not normalise back", text, id, got)
		}
	})
}

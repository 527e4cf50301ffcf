package knowledge

import (
	"testing"

	"github.com/refundbot/refundbot"
)

func TestAskOf(t *testing.T) {
	tests := []struct {
		q    string
		want askType
	}{
		{"优惠券怎么领", askHow},
		{"付款失败怎么办", askRemedy},
		{"什么时候可以发货", askWhen},
		{"可以货到付款吗", askCan},
		{"优惠券为什么用不了", askWhy},
		{"退货寄到哪", askWhere},
		{"满多少包邮", askHowMuch},
		{"哪些商品不能退", askWhat | askCan}, // two loose asks: both kept
		{"申请价格保护", 0},
		{"收货好几天了还能退不", askCan}, // 好几天 says how long; it does not ask
	}
	for _, tt := range tests {
		if got := askOf(Normalize(tt.q)); got != tt.want {
			t.Errorf("askOf(%q) = %b, want %b", tt.q, got, tt.want)
		}
	}
}

// An entry that covers only the topic word of a question (优惠券) scores
// below one that covers the ask too.
func TestCoverageHardNegative(t *testing.T) {
	ix := newIndex()
	ix.put(testEntry("coupon-back", "退款后优惠券会退回吗", "会退回原账户"))
	ix.put(testEntry("coupon-get", "优惠券在哪里领", "在领券中心领取"))
	hits := ix.search("优惠券怎么领", 2)
	if len(hits) != 2 || hits[0].Entry.ID != "coupon-get" || hits[1].Score >= hits[0].Score/2 {
		t.Fatalf("hits = %+v, want coupon-get well ahead", hits)
	}
	if f := askFit(askHow, askWhy); f >= 1 {
		t.Errorf("askFit(how, why) = %v, want < 1", f)
	}
	if f := askFit(askHow, askWhere); f != 1 {
		t.Errorf("askFit(how, where) = %v, want 1", f)
	}
}

func testEntry(id, q, a string) refundbot.Entry {
	return refundbot.Entry{ID: id, Question: q, Answer: a}
}

// A word of an ask cue is how the question asks, not what it is about,
// even where the word is also a concept: 处理 is review (审核) in
// 审核处理要多久 but only the ask in 发错款了怎么处理.
func TestContentUnitsSkipAskCues(t *testing.T) {
	tests := []struct {
		q       string
		concept string
		want    bool
	}{
		{"发错款了怎么处理", "#审核", false},
		{"发错款了怎么处理", "#错发", true},
		{"审核处理要多久", "#审核", true},
		{"想换个颜色 在哪里弄", "#换货", true},
		{"东西寄回给你们 寄哪里", "#地址", true}, // a where-ask names the place
	}
	for _, tt := range tests {
		var got bool
		for _, u := range contentUnits(tt.q) {
			for _, term := range u.terms {
				got = got || term == tt.concept
			}
		}
		if got != tt.want {
			t.Errorf("contentUnits(%q) has %s = %v, want %v", tt.q, tt.concept, got, tt.want)
		}
	}
}

package bot

import (
	"testing"

	"github.com/refundbot/refundbot"
)

func TestDescriptionFrom(t *testing.T) {
	tests := []struct {
		text, order, want string
	}{
		{"商品有划痕,退20块就行 订单3712000000000000312", "3712000000000000312", "商品有划痕,退20块就行"},
		{"订单号:3712 0000 0000 0000 302,口红颜色和详情页差好多", "3712000000000000302", "口红颜色和详情页差好多"},
		{"订单3712000000000000001 收到的衣服破了个洞,只退钱就行", "3712000000000000001", "收到的衣服破了个洞,只退钱就行"},
		{"质量问题", "", ""},
		{"退款 3712000000000000001", "3712000000000000001", ""},
	}
	for _, tt := range tests {
		m := message{text: tt.text, Understanding: refundbot.Understanding{OrderID: tt.order}}
		if got := descriptionFrom(m); got != tt.want {
			t.Errorf("descriptionFrom(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzRemoveOrderID(f *testing.F) {
	f.Add("订单号 3712-3456 7890 1234 567 坏了", "3712345678901234567")
	f.Add("", "1")
	f.Fuzz(func(t *testing.T, text, id string) {
		if id == "" {
			return
		}
		_ = removeOrderID(text, id)
	})
}

package refundbot_test

import (
	"encoding/json"
	"testing"

	"github.com/refundbot/refundbot"
)

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want refundbot.Fen
		code string
	}{
		{"50", 5000, ""},
		{"49.9", 4990, ""},
		{"49.90", 4990, ""},
		{".5", 50, ""},
		{" 129 ", 12900, ""},
		{"", 0, refundbot.EINVALID},
		{"1.234", 0, refundbot.EINVALID},
		{"-5", 0, refundbot.EINVALID},
		{"5.", 0, refundbot.EINVALID},
		{"abc", 0, refundbot.EINVALID},
		{"1234567890", 0, refundbot.EINVALID},
	}
	for _, tt := range tests {
		got, err := refundbot.ParseYuan(tt.in)
		if refundbot.ErrorCode(err) != tt.code || got != tt.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"50", "49.9", "0.01", "999999999.99", "1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := refundbot.ParseYuan(s)
		if err != nil {
			return
		}
		if got < 0 {
			t.Fatalf("ParseYuan(%q) = %d: negative", s, got)
		}
		back, err := refundbot.ParseYuan(got.Yuan())
		if err != nil || back != got {
			t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, got, got.Yuan(), back, err)
		}
	})
}

func TestAddressDecodes(t *testing.T) {
	tests := []struct {
		json string
		want string
	}{
		{`"上海市示例路100号"`, "上海市示例路100号"},
		{`{"name":"售后部","phone":"021-1","address":"上海市示例路100号"}`, "售后部 021-1 上海市示例路100号"},
		{`{"contact":"王","mobile":"138","province":"上海市","city":"上海市","district":"浦东新区","street":"示例路1号"}`, "王 138 上海市上海市浦东新区示例路1号"},
	}
	for _, tt := range tests {
		var a refundbot.Address
		if err := json.Unmarshal([]byte(tt.json), &a); err != nil {
			t.Fatal(err)
		}
		if got := a.String(); got != tt.want {
			t.Errorf("%s -> %q, want %q", tt.json, got, tt.want)
		}
	}
}

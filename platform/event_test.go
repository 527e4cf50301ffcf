package platform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
)

func TestSignVerifyEvent(t *testing.T) {
	now := time.Unix(1_790_000_000, 0)
	body := []byte(`{"event_id":"evt_1","type":"refund.updated","refund":{"refund_id":"RF00000001"}}`)
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := SignEvent("whsec", now, body)
	tests := []struct {
		name   string
		secret string
		ts     string
		sig    string
		body   []byte
		now    time.Time
		ok     bool
	}{
		{"valid", "whsec", ts, sig, body, now, true},
		{"4 minutes late", "whsec", ts, sig, body, now.Add(4 * time.Minute), true},
		{"6 minutes late", "whsec", ts, sig, body, now.Add(6 * time.Minute), false},
		{"6 minutes early", "whsec", ts, sig, body, now.Add(-6 * time.Minute), false},
		{"other secret", "other", ts, sig, body, now, false},
		{"no secret", "", ts, sig, body, now, false},
		{"body changed", "whsec", ts, sig, append([]byte{' '}, body...), now, false},
		{"timestamp changed", "whsec", strconv.FormatInt(now.Unix()+1, 10), sig, body, now, false},
		{"no prefix", "whsec", ts, sig[len("sha256="):], body, now, false},
		{"short hex", "whsec", ts, sig[:20], body, now, false},
		{"not hex", "whsec", ts, "sha256=" + string(make([]byte, 64)), body, now, false},
		{"signed timestamp with sign", "whsec", "+" + ts, sig, body, now, false},
		{"empty timestamp", "whsec", "", sig, body, now, false},
		{"spaces around signature", "whsec", ts, "  " + sig + " ", body, now, true},
	}
	for _, tt := range tests {
		err := VerifyEvent(tt.secret, tt.ts, tt.sig, tt.body, tt.now, 0)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && refundbot.ErrorCode(err) != refundbot.EUNAUTHORIZED {
			t.Errorf("%s: code %s, want unauthorized", tt.name, refundbot.ErrorCode(err))
		}
	}
	if err := VerifyEvent("whsec", ts, sig, body, now.Add(time.Minute), 30*time.Second); err == nil {
		t.Error("custom max skew ignored")
	}
}

func TestParseEvent(t *testing.T) {
	tests := []struct {
		body string
		ok   bool
	}{
		{`{"event_id":"evt_1","type":"refund.updated","created_at":"2026-11-20T10:00:00+08:00","refund":{"refund_id":"RF1","status":"refunding","extra":1}}`, true},
		{`{"event_id":"evt_2","type":"something.else"}`, true},
		{`{"type":"refund.updated","refund":{"refund_id":"RF1"}}`, false},
		{`{"event_id":"evt_1","refund":{"refund_id":"RF1"}}`, false},
		{`{"event_id":"evt_1","type":"refund.updated","refund":{}}`, false},
		{`{"event_id":"evt_1","type":"refund.updated","refund":{"refund_id":"RF1","amount":"12"}}`, false},
		{`[]`, false},
	}
	for _, tt := range tests {
		ev, err := ParseEvent([]byte(tt.body))
		if (err == nil) != tt.ok || (err != nil && refundbot.ErrorCode(err) != refundbot.EINVALID) {
			t.Errorf("ParseEvent(%s) = %v, %v; want ok %v", tt.body, ev, err, tt.ok)
		}
	}
}

func FuzzVerifyEvent(f *testing.F) {
	now := time.Unix(1_790_000_000, 0)
	body := []byte(`{"event_id":"evt_1"}`)
	f.Add("1790000000", SignEvent("k", now, body), body)
	f.Add("", "sha256=", []byte{})
	f.Add("99999999999999999999", "sha256=zz", []byte("x"))
	f.Add("-1", "SHA256=00", []byte("x"))
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		err := VerifyEvent("k", ts, sig, body, now, time.Minute)
		if err == nil {
			// Only a fresh timestamp and a true MAC over it and the body
			// may pass; the MAC is computed here independently.
			n, perr := strconv.ParseInt(ts, 10, 64)
			m := hmac.New(sha256.New, []byte("k"))
			m.Write([]byte(ts + "."))
			m.Write(body)
			want := "sha256=" + hex.EncodeToString(m.Sum(nil))
			if perr != nil || n < now.Unix()-60 || n > now.Unix()+60 || !strings.EqualFold(strings.TrimSpace(sig), want) {
				t.Fatalf("accepted ts=%q sig=%q", ts, sig)
			}
			return
		}
		if refundbot.ErrorCode(err) != refundbot.EUNAUTHORIZED {
			t.Fatalf("code %s", refundbot.ErrorCode(err))
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"event_id":"evt_1","type":"refund.updated","refund":{"refund_id":"RF1"}}`))
	f.Add([]byte(`{"event_id":"","refund":{"return_address":"上海"}}`))
	f.Add([]byte(`{"event_id":"e","type":"refund.updated","refund":{"refund_id":"R","return_address":{"province":"上海"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ParseEvent(body)
		if err != nil {
			if refundbot.ErrorCode(err) != refundbot.EINVALID {
				t.Fatalf("code %s", refundbot.ErrorCode(err))
			}
			return
		}
		if ev.EventID == "" || ev.Type == "" || ev.Type == EventRefundUpdated && ev.Refund.RefundID == "" {
			t.Fatalf("accepted incomplete event %+v", ev)
		}
	})
}

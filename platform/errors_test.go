package platform

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
)

func TestParseError(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		code     string
		refundID string
		platform string
	}{
		{404, `{"error":{"code":"order_not_found","message":"no such order"}}`, refundbot.ENOTFOUND, "", "order_not_found"},
		{404, `{"error":{"code":"refund_not_found"}}`, refundbot.ENOTFOUND, "", "refund_not_found"},
		{409, `{"error":{"code":"refund_exists","refund_id":"RF1"}}`, refundbot.ECONFLICT, "RF1", "refund_exists"},
		{409, `{"error":{"code":"refund_exists"},"refund_id":"RF2"}`, refundbot.ECONFLICT, "RF2", "refund_exists"},
		{422, `{"error":{"code":"amount_exceeds_paid"}}`, refundbot.EAMOUNT, "", "amount_exceeds_paid"},
		{422, `{"error":{"code":"not_refundable"}}`, refundbot.ENOTREFUNDABLE, "", "not_refundable"},
		{422, `{"error":{"code":"outside_window"}}`, refundbot.EOUTSIDEWINDOW, "", "outside_window"},
		{422, `{"error":{"code":"invalid_state"}}`, refundbot.EINVALIDSTATE, "", "invalid_state"},
		{422, `{"error":{"code":"something_new"}}`, refundbot.EINVALID, "", "something_new"},
		{401, `{"error":{"code":"unauthorized"}}`, refundbot.EUNAUTHORIZED, "", "unauthorized"},
		{429, `{"error":{"code":"rate_limited"}}`, refundbot.ERATELIMITED, "", "rate_limited"},
		{503, `{"error":{"code":"unavailable"}}`, refundbot.EUNAVAILABLE, "", "unavailable"},
		{500, `<html>oops</html>`, refundbot.EUNAVAILABLE, "", ""},
		{502, ``, refundbot.EUNAVAILABLE, "", ""},
		{403, `{"error":"forbidden here"}`, refundbot.EFORBIDDEN, "", ""},
		{400, `{"code":"bad_json","message":"flat shape"}`, refundbot.EINVALID, "", "bad_json"},
		{404, `not json`, refundbot.ENOTFOUND, "", ""},
		{413, `{}`, refundbot.EINVALID, "", ""},
		{302, ``, refundbot.EUNAVAILABLE, "", ""},
	}
	for _, tt := range tests {
		e := parseError(tt.status, []byte(tt.body))
		var api *APIError
		if e.Code != tt.code || e.RefundID != tt.refundID || !errors.As(e, &api) || api.Code != tt.platform || api.Status != tt.status {
			t.Errorf("parseError(%d, %s) = %+v (%v), want %s %q %q", tt.status, tt.body, e, e.Err, tt.code, tt.refundID, tt.platform)
		}
	}
	if e := parseError(422, []byte(`{"error":{"code":"x","message":"`+strings.Repeat("长", 500)+`"}}`)); len(e.Message) > maxMessage+20 || !utf8.ValidString(e.Message) {
		t.Errorf("long message not clipped to valid UTF-8: %d bytes", len(e.Message))
	}
}

var knownCodes = map[string]bool{
	refundbot.EINVALID: true, refundbot.ENOTFOUND: true, refundbot.ECONFLICT: true, refundbot.EUNAUTHORIZED: true,
	refundbot.EFORBIDDEN: true, refundbot.ENOTREFUNDABLE: true, refundbot.EOUTSIDEWINDOW: true, refundbot.EAMOUNT: true,
	refundbot.EINVALIDSTATE: true, refundbot.ERATELIMITED: true, refundbot.EUNAVAILABLE: true,
}

func FuzzParseError(f *testing.F) {
	f.Add(409, []byte(`{"error":{"code":"refund_exists","refund_id":"RF1"}}`))
	f.Add(422, []byte(`{"error":"text"}`))
	f.Add(500, []byte("\xff\xfe"))
	f.Add(404, []byte(`{"error":{"code":"order_not_found","message":"\u0000"}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseError(status, body)
		if e == nil || !knownCodes[e.Code] {
			t.Fatalf("parseError(%d, %q) = %+v", status, body, e)
		}
		if !utf8.ValidString(e.Message) || len(e.Message) > 2*maxMessage || len(e.RefundID) > maxMessage+4 {
			t.Fatalf("message or refund id not bounded: %q %q", e.Message, e.RefundID)
		}
		if e.RefundID != "" && e.Code != refundbot.ECONFLICT {
			t.Fatalf("refund id on %s", e.Code)
		}
	})
}

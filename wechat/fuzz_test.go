package wechat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"github.com/refundbot/refundbot"
)

// FuzzParseBody feeds arbitrary bodies under a valid signature, in both
// modes: Parse must never panic and must either return a message with the
// fields every push has or one of its typed errors.
func FuzzParseBody(f *testing.F) {
	f.Add([]byte(goodText), false)
	f.Add([]byte(`<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>CLICK</Event><EventKey>REFUND</EventKey></xml>`), false)
	f.Add([]byte(`<xml><ToUserName>gh</ToUserName><Encrypt>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</Encrypt></xml>`), true)
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><xml>&a;</xml>`), false)
	f.Add([]byte{}, true)
	// A real encrypted push, so mutations reach decryption and parsing.
	enc, err := util.EncryptMsg(make([]byte, 16), []byte(goodText), testAppID, testAESKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("<xml><ToUserName>gh_1</ToUserName><Encrypt>"+string(enc)+"</Encrypt></xml>"), true)
	plain, _ := NewWebhook(Config{Token: testToken})
	safe, _ := NewWebhook(Config{AppID: testAppID, Token: testToken, EncodingAESKey: testAESKey})
	f.Fuzz(func(t *testing.T, body []byte, aes bool) {
		wh := plain
		q := signedURL("", testToken, time.Now())
		if aes {
			wh = safe
			q.Set("encrypt_type", "aes")
			// Sign whatever Encrypt the body has, so decryption is reached.
			var env struct {
				Encrypt string `xml:"Encrypt"`
			}
			_ = xml.Unmarshal(body, &env)
			q.Set("msg_signature", util.Signature(testToken, q.Get("timestamp"), q.Get("nonce"), env.Encrypt))
		}
		r := httptest.NewRequest(http.MethodPost, "/wechat?"+q.Encode(), bytes.NewReader(body))
		checkParse(t, wh, r)
	})
}

// FuzzParseQuery feeds arbitrary query parameters with a good body: only a
// correct signature and a fresh timestamp may pass.
func FuzzParseQuery(f *testing.F) {
	now := time.Now().Unix()
	f.Add(util.Signature(testToken, strconv.FormatInt(now, 10), "1"), strconv.FormatInt(now, 10), "1", "", "")
	f.Add("", "", "", "aes", "x")
	f.Add("deadbeef", "-1", "", "", "")
	f.Add("deadbeef", "99999999999999999999", "n", "aes", "")
	wh, _ := NewWebhook(Config{Token: testToken})
	f.Fuzz(func(t *testing.T, signature, timestamp, nonce, encryptType, msgSignature string) {
		q := url.Values{"signature": {signature}, "timestamp": {timestamp}, "nonce": {nonce},
			"encrypt_type": {encryptType}, "msg_signature": {msgSignature}}
		r := httptest.NewRequest(http.MethodPost, "/wechat?"+q.Encode(), bytes.NewReader([]byte(goodText)))
		m := checkParse(t, wh, r)
		if m != nil {
			if signature != util.Signature(testToken, timestamp, nonce) {
				t.Fatalf("accepted a wrong signature %q", signature)
			}
			ts, err := strconv.ParseInt(timestamp, 10, 64)
			if err != nil || time.Since(time.Unix(ts, 0)).Abs() > MaxSkew {
				t.Fatalf("accepted timestamp %q", timestamp)
			}
		}
	})
}

func checkParse(t *testing.T, wh *Webhook, r *http.Request) *Message {
	t.Helper()
	m, err := wh.Parse(r)
	if err != nil {
		if !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrStaleTimestamp) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("untyped error %v", err)
		}
		if c := refundbot.ErrorCode(err); c != refundbot.EUNAUTHORIZED && c != refundbot.EINVALID {
			t.Fatalf("error code %q", c)
		}
		return nil
	}
	if m.FromUser == "" || m.ToUser == "" || m.MsgType == "" {
		t.Fatalf("accepted message without required fields: %+v", m)
	}
	if m.MsgType != MsgEvent && m.MsgID == "" {
		t.Fatalf("accepted message without MsgId: %+v", m)
	}
	_ = m.Inbound()
	_ = m.DedupeKey()
	return m
}

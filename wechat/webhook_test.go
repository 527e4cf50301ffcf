package wechat

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"github.com/refundbot/refundbot"
)

const (
	testAppID  = "wx0123456789abcdef"
	testToken  = "test-token"
	testAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
)

// bot is a minimal handler in front of a Webhook, like the lead's Echo
// handler: it answers errors with 401/400 and echoes what it understood.
type bot struct {
	wh   *Webhook
	mu   sync.Mutex
	last *Message
	errs []error
}

func (b *bot) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		b.wh.Verify(rw, r)
		return
	}
	m, err := b.wh.Parse(r)
	b.mu.Lock()
	b.last = m
	b.errs = append(b.errs, err)
	b.mu.Unlock()
	if err != nil {
		status := http.StatusBadRequest
		if refundbot.ErrorCode(err) == refundbot.EUNAUTHORIZED {
			status = http.StatusUnauthorized
		}
		http.Error(rw, refundbot.ErrorMessage(err), status)
		return
	}
	in := m.Inbound()
	var reply Reply
	switch {
	case in.Kind == refundbot.InboundText:
		reply.Text = "echo:" + in.Text
	case in.Kind == refundbot.InboundImage:
		reply.Text = "image:" + in.MediaID
	case in.Kind == refundbot.InboundEvent && in.EventKey == refundbot.MenuHuman:
		reply = Reply{Transfer: true, KfAccount: "kf2001@gh_sandbox"}
	case in.Kind == refundbot.InboundEvent && in.Event == refundbot.EventSubscribe:
		reply = Reply{Transfer: true}
	}
	if err := b.wh.WriteReply(rw, r, m, reply); err != nil {
		panic(err)
	}
}

func (b *bot) lastErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errs) == 0 {
		return nil
	}
	return b.errs[len(b.errs)-1]
}

func newBot(t *testing.T, aesKey string) (*bot, *Simulator) {
	t.Helper()
	wh, err := NewWebhook(Config{AppID: testAppID, Token: testToken, EncodingAESKey: aesKey})
	if err != nil {
		t.Fatal(err)
	}
	b := &bot{wh: wh}
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return b, &Simulator{BotURL: srv.URL + "/wechat", Token: testToken, EncodingAESKey: aesKey, AppID: testAppID}
}

func TestRoundTrip(t *testing.T) {
	for _, mode := range []struct {
		name string
		key  string
	}{{"plaintext", ""}, {"safe", testAESKey}} {
		t.Run(mode.name, func(t *testing.T) {
			b, sim := newBot(t, mode.key)
			tests := []struct {
				name     string
				msg      SimMessage
				want     refundbot.Inbound
				text     string
				transfer bool
				kf       string
				passive  bool
			}{
				{name: "text", msg: SimMessage{Type: MsgText, Content: "我要退款 <a>&amp; ]]> 订单"},
					want: refundbot.Inbound{Kind: refundbot.InboundText, Text: "我要退款 <a>&amp; ]]> 订单"},
					text: "echo:我要退款 <a>&amp; ]]> 订单", passive: true},
				{name: "image", msg: SimMessage{Type: MsgImage, MediaID: "media-1", PicURL: "http://mmbiz.qpic.cn/x"},
					want: refundbot.Inbound{Kind: refundbot.InboundImage, MediaID: "media-1"},
					text: "image:media-1", passive: true},
				{name: "video", msg: SimMessage{Type: MsgVideo, MediaID: "media-v"},
					want: refundbot.Inbound{Kind: refundbot.InboundVideo, MediaID: "media-v"}},
				{name: "voice", msg: SimMessage{Type: MsgVoice, MediaID: "media-2", Recognition: "查一下进度"},
					want: refundbot.Inbound{Kind: refundbot.InboundText, Text: "查一下进度"},
					text: "echo:查一下进度", passive: true},
				{name: "voice unrecognised", msg: SimMessage{Type: MsgVoice, MediaID: "media-3"},
					want: refundbot.Inbound{Kind: refundbot.InboundText}, text: "echo:", passive: true},
				{name: "subscribe", msg: SimMessage{Type: MsgEvent, Event: refundbot.EventSubscribe},
					want:     refundbot.Inbound{Kind: refundbot.InboundEvent, Event: refundbot.EventSubscribe},
					transfer: true, passive: true},
				{name: "click", msg: SimMessage{Type: MsgEvent, Event: refundbot.EventClick, EventKey: refundbot.MenuHuman},
					want:     refundbot.Inbound{Kind: refundbot.InboundEvent, Event: refundbot.EventClick, EventKey: refundbot.MenuHuman},
					transfer: true, kf: "kf2001@gh_sandbox", passive: true},
				{name: "unsubscribe gets success", msg: SimMessage{Type: MsgEvent, Event: "unsubscribe"},
					want: refundbot.Inbound{Kind: refundbot.InboundEvent, Event: "unsubscribe"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := sim.Send(context.Background(), "oBuyer123456", tt.msg)
					if err != nil {
						t.Fatalf("Send: %v (bot: %v)", err, b.lastErr())
					}
					if got.Text != tt.text || got.Transfer != tt.transfer || got.KfAccount != tt.kf || (got.Passive != nil) != tt.passive {
						t.Errorf("reply = %+v, want text %q transfer %v kf %q passive %v", got, tt.text, tt.transfer, tt.kf, tt.passive)
					}
					if got.Passive != nil && (got.Passive.ToUser != "oBuyer123456" || got.Passive.FromUser != "gh_sandbox") {
						t.Errorf("passive reply addressed %s -> %s", got.Passive.FromUser, got.Passive.ToUser)
					}
					in := b.last.Inbound()
					if in.Buyer != "oBuyer123456" || in.Kind != tt.want.Kind || in.Text != tt.want.Text ||
						in.MediaID != tt.want.MediaID || in.Event != tt.want.Event || in.EventKey != tt.want.EventKey {
						t.Errorf("Inbound = %+v, want %+v", in, tt.want)
					}
					if time.Since(in.At) > time.Minute {
						t.Errorf("At = %v", in.At)
					}
					if tt.msg.Type != MsgEvent && in.MsgID != strconv.FormatInt(got.MsgID, 10) {
						t.Errorf("MsgID = %q, want %d", in.MsgID, got.MsgID)
					}
				})
			}
		})
	}
}

func TestDedupeKey(t *testing.T) {
	at := time.Unix(1700000000, 0)
	tests := []struct {
		m    Message
		want string
	}{
		{Message{FromUser: "o1", MsgType: MsgText, MsgID: "42", CreateTime: at}, "o1:42"},
		{Message{FromUser: "o1", MsgType: MsgEvent, Event: "CLICK", CreateTime: at}, "o1:1700000000:CLICK"},
	}
	for _, tt := range tests {
		if got := tt.m.DedupeKey(); got != tt.want {
			t.Errorf("DedupeKey(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
	// WeChat's retries carry the same MsgId: the replayed push must parse
	// to the same key.
	b, sim := newBot(t, "")
	r1, err := sim.Send(context.Background(), "oRetry", SimMessage{Type: MsgText, Content: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	k1 := b.last.DedupeKey()
	if _, err := sim.Send(context.Background(), "oRetry", SimMessage{Type: MsgText, Content: "hi", MsgID: r1.MsgID}); err != nil {
		t.Fatal(err)
	}
	if k2 := b.last.DedupeKey(); k1 != k2 {
		t.Errorf("retry key %q != %q", k2, k1)
	}
}

// signedURL builds a push URL the way WeChat does, with a chosen time.
func signedURL(base, token string, at time.Time) url.Values {
	ts, nonce := strconv.FormatInt(at.Unix(), 10), "1234567890"
	return url.Values{"signature": {util.Signature(token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "openid": {"o1"}}
}

const goodText = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>1</MsgId></xml>`

func TestParseRejects(t *testing.T) {
	wh, err := NewWebhook(Config{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	billion := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol3;</Content><MsgId>1</MsgId></xml>`
	deep := strings.Repeat("<a>", 20000) + strings.Repeat("</a>", 20000)
	tests := []struct {
		name  string
		query url.Values
		body  string
		want  error
		code  string
	}{
		{"forged signature", func() url.Values { q := signedURL("", "wrong-token", now); return q }(), goodText, ErrBadSignature, refundbot.EUNAUTHORIZED},
		{"no signature", url.Values{"timestamp": {strconv.FormatInt(now.Unix(), 10)}}, goodText, ErrBadSignature, refundbot.EUNAUTHORIZED},
		{"tampered timestamp", func() url.Values {
			q := signedURL("", testToken, now)
			q.Set("timestamp", strconv.FormatInt(now.Unix()+1, 10))
			return q
		}(), goodText, ErrBadSignature, refundbot.EUNAUTHORIZED},
		{"stale", signedURL("", testToken, now.Add(-6*time.Minute)), goodText, ErrStaleTimestamp, refundbot.EUNAUTHORIZED},
		{"future", signedURL("", testToken, now.Add(6*time.Minute)), goodText, ErrStaleTimestamp, refundbot.EUNAUTHORIZED},
		{"billion laughs", signedURL("", testToken, now), billion, ErrMalformed, refundbot.EINVALID},
		{"deeply nested", signedURL("", testToken, now), "<xml>" + deep + "</xml>", ErrMalformed, refundbot.EINVALID},
		{"wrong root", signedURL("", testToken, now), strings.ReplaceAll(goodText, "xml>", "msg>"), ErrMalformed, refundbot.EINVALID},
		{"not xml", signedURL("", testToken, now), `{"MsgType":"text"}`, ErrMalformed, refundbot.EINVALID},
		{"empty", signedURL("", testToken, now), ``, ErrMalformed, refundbot.EINVALID},
		{"missing from", signedURL("", testToken, now), strings.Replace(goodText, "o1", "", 1), ErrMalformed, refundbot.EINVALID},
		{"bad MsgId", signedURL("", testToken, now), strings.Replace(goodText, "<MsgId>1<", "<MsgId>x<", 1), ErrMalformed, refundbot.EINVALID},
		{"too big", signedURL("", testToken, now), strings.Repeat(" ", MaxBodyBytes+1) + goodText, ErrMalformed, refundbot.EINVALID},
		{"encrypted push in plaintext mode", func() url.Values {
			q := signedURL("", testToken, now)
			q.Set("encrypt_type", "aes")
			return q
		}(), goodText, ErrMalformed, refundbot.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/wechat?"+tt.query.Encode(), strings.NewReader(tt.body))
			m, err := wh.Parse(r)
			if !errors.Is(err, tt.want) || refundbot.ErrorCode(err) != tt.code {
				t.Fatalf("Parse = %+v, %v; want %v (%s)", m, err, tt.want, tt.code)
			}
		})
	}
	// The good body with the good query parses, so the rejections above
	// are about what each case changed.
	r := httptest.NewRequest(http.MethodPost, "/wechat?"+signedURL("", testToken, now).Encode(), strings.NewReader(goodText))
	if m, err := wh.Parse(r); err != nil || m.Content != "hi" {
		t.Fatalf("good push: %+v, %v", m, err)
	}
}

func TestParseSafeModeRejects(t *testing.T) {
	b, sim := newBot(t, testAESKey)
	ctx := context.Background()

	variant := func(change func(*Simulator)) *Simulator {
		v := &Simulator{BotURL: sim.BotURL, Token: sim.Token, EncodingAESKey: sim.EncodingAESKey, AppID: sim.AppID}
		change(v)
		return v
	}
	tests := []struct {
		name   string
		sender *Simulator
		want   error
	}{
		// Right token, so msg_signature matches, but the envelope does not
		// decrypt to this app id.
		{"wrong key", variant(func(s *Simulator) { s.EncodingAESKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut" }), ErrMalformed},
		{"wrong app id", variant(func(s *Simulator) { s.AppID = "wxother" }), ErrMalformed},
		{"wrong token", variant(func(s *Simulator) { s.Token = "nope" }), ErrBadSignature},
		{"plaintext push", variant(func(s *Simulator) { s.EncodingAESKey = "" }), ErrMalformed},
		{"stale", variant(func(s *Simulator) { s.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) } }), ErrStaleTimestamp},
	}
	for _, tt := range tests {
		if _, err := tt.sender.Send(ctx, "o1", SimMessage{Type: MsgText, Content: "x"}); err == nil || !errors.Is(b.lastErr(), tt.want) {
			t.Errorf("%s: send %v, bot %v; want %v", tt.name, err, b.lastErr(), tt.want)
		}
	}
	// Tampered msg_signature with a valid query signature.
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "42"
	q := url.Values{"signature": {util.Signature(testToken, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce},
		"encrypt_type": {"aes"}, "msg_signature": {"0000"}}
	r := httptest.NewRequest(http.MethodPost, "/wechat?"+q.Encode(), strings.NewReader(`<xml><ToUserName>gh</ToUserName><Encrypt>AAAA</Encrypt></xml>`))
	if _, err := b.wh.Parse(r); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered msg_signature: %v", err)
	}
}

func TestVerify(t *testing.T) {
	wh, err := NewWebhook(Config{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tests := []struct {
		name   string
		query  url.Values
		status int
		body   string
	}{
		{"good", withEcho(signedURL("", testToken, now), "5837397176"), 200, "5837397176"},
		{"bad signature", withEcho(signedURL("", "x", now), "5837397176"), 401, ""},
		{"stale", withEcho(signedURL("", testToken, now.Add(-time.Hour)), "1"), 401, ""},
		{"no echostr", signedURL("", testToken, now), 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			wh.Verify(rec, httptest.NewRequest(http.MethodGet, "/wechat?"+tt.query.Encode(), nil))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.status || (tt.body != "" && string(body) != tt.body) {
				t.Errorf("got %d %q, want %d %q", rec.Code, body, tt.status, tt.body)
			}
		})
	}
}

func withEcho(q url.Values, echo string) url.Values {
	q.Set("echostr", echo)
	return q
}

func TestNewWebhookChecksConfig(t *testing.T) {
	tests := []Config{
		{},
		{Token: "t", AppID: "wx", EncodingAESKey: "short"},
		{Token: "t", AppID: "wx", EncodingAESKey: strings.Repeat("!", 43)},
		{Token: "t", EncodingAESKey: testAESKey},
	}
	for _, cfg := range tests {
		if _, err := NewWebhook(cfg); refundbot.ErrorCode(err) != refundbot.EINVALID {
			t.Errorf("NewWebhook(%+v) = %v, want EINVALID", cfg, err)
		}
	}
}

func TestWriteSuccessInSafeMode(t *testing.T) {
	wh, err := NewWebhook(Config{AppID: testAppID, Token: testToken, EncodingAESKey: testAESKey})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/wechat", nil)
	if err := wh.WriteReply(rec, r, &Message{FromUser: "o1", ToUser: "gh"}, Reply{}); err != nil {
		t.Fatal(err)
	}
	if rec.Body.String() != "success" {
		t.Errorf("empty reply wrote %q, want plain success", rec.Body.String())
	}
}

package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"github.com/refundbot/refundbot/internal/evaldata"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/internal/redistest"
	"github.com/refundbot/refundbot/persona"
	"github.com/refundbot/refundbot/platform"
	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/wechat"
)

// These tests start the real program (Main) on a free port and talk to it
// over HTTP only, as WeChat, the merchant platform and people would.

const testAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

type testBot struct {
	*Main
	cfg Config
}

// startBot runs Main with env on a free port and stops it at cleanup.
func startBot(t *testing.T, env map[string]string) *testBot {
	t.Helper()
	all := map[string]string{"LISTEN_ADDR": "127.0.0.1:0", "ADMIN_TOKEN": "admin-test-token", "SERVICE_HOURS": "0-24"}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := LoadConfig(func(k string) string { return all[k] })
	if err != nil {
		t.Fatal(err)
	}
	m := &Main{Config: cfg, Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = m.Close(ctx)
	})
	return &testBot{Main: m, cfg: cfg}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (b *testBot) sim(aesKey string) *wechat.Simulator {
	return &wechat.Simulator{BotURL: b.URL + "/wechat", Token: b.cfg.WeChatToken, EncodingAESKey: aesKey, AppID: b.cfg.WeChatAppID}
}

// sharedFile finds a file of ../shared/eval beside the repository, or the
// copy in testdata.
func sharedFile(t *testing.T, name string) string {
	return evaldata.Path(t, name, filepath.Join("testdata", name))
}

// TestPersonas plays the development personas through the real webhook in
// plaintext and safe mode against a platform on its own port.
func TestPersonas(t *testing.T) {
	ps, err := persona.LoadFile(sharedFile(t, "dialogues-dev.jsonl"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Our own personas: other platforms, goods and ways of writing.
	extra, err := persona.LoadFile(filepath.Join("testdata", "dialogues-extra.jsonl"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ps = append(ps, extra...)
	modes := []struct {
		name, key string
		style     runnerStyle
	}{
		{"plaintext", "", runnerStyle{}},
		{"safe", testAESKey, runnerStyle{}},
		// Buyers who explain instead of naming a reason and answer in
		// everyday words.
		{"plain-varied", "", runnerStyle{plain: true, vary: true}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			rep, err := playAgainstFreshBot(context.Background(), ps, mode.key, "", "", mode.style)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range rep.Outcomes {
				if !o.OK {
					t.Logf("%s expect=%s got=%s: %s\n%s", o.ID, o.Expect, o.Got, o.Why, strings.Join(o.Transcript, "\n"))
				}
			}
			t.Logf("%s: %d/%d ended right (%.0f%%)", mode.name, rep.OK, len(rep.Outcomes), 100*rep.Rate())
			if rep.Violations > 0 {
				t.Errorf("%d safety violations", rep.Violations)
			}
			if rep.Rate() < 0.9 {
				t.Errorf("%.0f%% of personas ended right, want at least 90%%", 100*rep.Rate())
			}
		})
	}
}

// TestChatFilesRefund drives the terminal chat against the default bot.
func TestChatFilesRefund(t *testing.T) {
	b := startBot(t, nil)
	script := strings.Join([]string{
		"我要退款", "3712000000000000001", "退货退款", "质量问题", "袖口开线了", "没有了", "全额", "确认", "/quit",
	}, "\n")
	var out bytes.Buffer
	err := runChat(context.Background(), b.sim(""), b.WeChatAPI, sandbox.DemoBuyer, strings.NewReader(script), &syncWriter{w: &out})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "退款申请已提交") {
		t.Fatalf("chat did not file a refund:\n%s", out.String())
	}
	if rs := b.Sandbox.Refunds(); len(rs) != 1 || rs[0].OrderID != "3712000000000000001" || rs[0].Amount != 12900 {
		t.Fatalf("sandbox refunds = %+v", rs)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestWebhookRefusesBadInput sends what an attacker or a broken proxy
// would; each is refused with 4xx and the server stays up.
func TestWebhookRefusesBadInput(t *testing.T) {
	b := startBot(t, nil)
	good := func(body string, ts time.Time) string {
		stamp := strconv.FormatInt(ts.Unix(), 10)
		q := url.Values{"timestamp": {stamp}, "nonce": {"n1"}, "signature": {signature(b.cfg.WeChatToken, stamp, "n1")}, "openid": {"o1"}}
		return b.URL + "/wechat?" + q.Encode()
	}
	text := `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1001</MsgId></xml>`
	now := time.Now()
	cases := []struct {
		name string
		url  string
		body string
		want int
	}{
		{"forged signature", strings.Replace(good("", now), "signature=", "signature=00", 1), fmt.Sprintf(text, now.Unix()), 401},
		{"stale timestamp", good("", now.Add(-10*time.Minute)), fmt.Sprintf(text, now.Unix()), 401},
		{"not xml", good("", now), "hello", 400},
		{"billion laughs", good("", now), `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>`, 400},
		{"deep nesting", good("", now), strings.Repeat("<a>", 50000) + strings.Repeat("</a>", 50000), 400},
		{"8 MiB body", good("", now), "<xml>" + strings.Repeat("A", 8<<20) + "</xml>", 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Post(c.url, "text/xml", strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("status %d, want %d", resp.StatusCode, c.want)
			}
		})
	}
	resp, err := http.Get(b.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("server down after bad input: %v", err)
	}
	resp.Body.Close()
}

func signature(token, ts, nonce string) string {
	// Computed independently of the library, as a second opinion.
	parts := []string{token, ts, nonce}
	for i := range parts {
		for j := i + 1; j < len(parts); j++ {
			if parts[j] < parts[i] {
				parts[i], parts[j] = parts[j], parts[i]
			}
		}
	}
	return fmt.Sprintf("%x", sha1.Sum([]byte(strings.Join(parts, ""))))
}

// TestDuplicateDeliveries sends one MsgId three times at once: the
// conversation runs once and exactly one delivery carries the answer.
func TestDuplicateDeliveries(t *testing.T) {
	for _, mode := range []struct{ name, key string }{{"plaintext", ""}, {"safe", testAESKey}} {
		t.Run(mode.name, func(t *testing.T) {
			b := startBot(t, map[string]string{"WECHAT_ENCODING_AES_KEY": mode.key})
			sim := b.sim(mode.key)
			const id = 424242
			var wg sync.WaitGroup
			replies := make([]*wechat.SimReply, 3)
			errs := make([]error, 3)
			for i := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					replies[i], errs[i] = sim.Send(context.Background(), sandbox.DemoBuyer, wechat.SimMessage{Type: wechat.MsgText, Content: "我要退款", MsgID: id})
				}()
			}
			wg.Wait()
			answered := 0
			for i := range 3 {
				if errs[i] != nil {
					t.Fatalf("delivery %d: %v", i, errs[i])
				}
				if replies[i].Text != "" {
					answered++
				}
			}
			if answered != 1 {
				t.Errorf("%d deliveries answered, want 1", answered)
			}
			// The next message continues from one "我要退款", not three.
			rep, err := sim.Send(context.Background(), sandbox.DemoBuyer, wechat.SimMessage{Type: wechat.MsgText, Content: "3712000000000000001"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(rep.Text, "哪种售后") {
				t.Errorf("after duplicates, reply = %q", rep.Text)
			}
		})
	}
}

// TestSessionSurvivesRestart stops the bot mid-flow and starts a new one on
// the same Redis and platform: the buyer carries on where they were.
func TestSessionSurvivesRestart(t *testing.T) {
	redisURL := redistest.URL(t)
	sb := sandbox.New(sandbox.Options{Demo: true, APIKey: "k", Logger: slog.New(slog.DiscardHandler)})
	defer sb.Close()
	srv := httptest.NewServer(sb)
	defer srv.Close()
	env := map[string]string{"REDIS_URL": redisURL, "PLATFORM_BASE_URL": srv.URL, "PLATFORM_API_KEY": "k", "PLATFORM_WEBHOOK_SECRET": "s3cret"}

	first := startBot(t, env)
	say := func(b *testBot, text string) string {
		t.Helper()
		rep, err := b.sim("").Send(context.Background(), sandbox.DemoBuyer, wechat.SimMessage{Type: wechat.MsgText, Content: text})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Text
	}
	say(first, "订单3712000000000000001 毛衣起球严重 要退货退款")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}

	second := startBot(t, env)
	if got := say(second, "没有了"); !strings.Contains(got, "退款金额是多少") {
		t.Fatalf("after restart the bot lost its place: %q", got)
	}
	say(second, "全额")
	if got := say(second, "确认"); !strings.Contains(got, "退款申请已提交") {
		t.Fatalf("confirm after restart: %q", got)
	}
	if rs := sb.Refunds(); len(rs) != 1 {
		t.Fatalf("%d refunds filed, want 1", len(rs))
	}
}

// TestPlatformEvents: a signed event reaches the buyer once, however often
// it is delivered; forged and stale events are refused.
func TestPlatformEvents(t *testing.T) {
	b := startBot(t, map[string]string{"PLATFORM_WEBHOOK_SECRET": "evt-secret", "PLATFORM_BASE_URL": ""})
	sim := b.sim("")
	for _, text := range []string{"订单3712000000000000001 衣服起球了 质量太差 退货退款", "没有了", "全额", "确认"} {
		if _, err := sim.Send(context.Background(), sandbox.DemoBuyer, wechat.SimMessage{Type: wechat.MsgText, Content: text}); err != nil {
			t.Fatal(err)
		}
	}
	rs := b.Sandbox.Refunds()
	if len(rs) != 1 {
		t.Fatalf("%d refunds, want 1", len(rs))
	}
	post := func(body []byte, secret string, ts time.Time) int {
		req, _ := http.NewRequest(http.MethodPost, b.URL+"/webhooks/platform", bytes.NewReader(body))
		req.Header.Set(platform.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		req.Header.Set(platform.HeaderSignature, platform.SignEvent(secret, ts, body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	steps := []struct {
		status refundbot.RefundStatus
		note   string
		want   []string // in the notice
	}{
		{refundbot.StatusAwaitingReturn, "", []string{"商家已同意", "退货地址", "单号"}},
		{refundbot.StatusRejected, "商品已使用,影响二次销售", []string{"商家已拒绝", "影响二次销售", "平台介入"}},
		{refundbot.StatusRefunded, "", []string{"已退款", "129.00"}},
	}
	for i, st := range steps {
		rf := rs[0]
		rf.Status, rf.MerchantNote = st.status, st.note
		if st.status == refundbot.StatusAwaitingReturn {
			rf.ReturnAddress = &refundbot.Address{Name: "售后部", Phone: "021-55550100", Address: "上海市示例路100号"}
		}
		body, _ := json.Marshal(platform.Event{EventID: fmt.Sprintf("evt_test_%d", i), Type: platform.EventRefundUpdated, CreatedAt: time.Now(), Refund: rf})
		if got := post(body, "wrong", time.Now()); got != 401 {
			t.Errorf("forged event: %d, want 401", got)
		}
		if got := post(body, "evt-secret", time.Now().Add(-6*time.Minute)); got != 401 {
			t.Errorf("stale event: %d, want 401", got)
		}
		for d := range 3 {
			if got := post(body, "evt-secret", time.Now()); got != 200 {
				t.Errorf("%s delivery %d: %d, want 200", st.status, d, got)
			}
		}
		match := func(text string) bool {
			for _, w := range st.want {
				if !strings.Contains(text, w) {
					return false
				}
			}
			return true
		}
		deadline := time.Now().Add(5 * time.Second)
		notices := 0
		for time.Now().Before(deadline) && notices == 0 {
			time.Sleep(20 * time.Millisecond)
			for _, m := range b.WeChatBox.Mailbox(sandbox.DemoBuyer, 0) {
				if match(m.Text) {
					notices++
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
		notices = 0
		for _, m := range b.WeChatBox.Mailbox(sandbox.DemoBuyer, 0) {
			if match(m.Text) {
				notices++
			}
		}
		if notices != 1 {
			t.Errorf("%s: buyer got %d notices, want 1", st.status, notices)
		}
	}
}

package wechat

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/wechat/wechatsandbox"
)

const testSecret = "s3cret-app-secret"

func newSandboxClient(t *testing.T, cfg Config) (*Client, *wechatsandbox.Server, *httptest.Server) {
	t.Helper()
	sb := wechatsandbox.New(wechatsandbox.WithCredentials(testAppID, testSecret))
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	if cfg.AppID == "" {
		cfg.AppID = testAppID
	}
	if cfg.AppSecret == "" {
		cfg.AppSecret = testSecret
	}
	cfg.APIBase = srv.URL
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb, srv
}

func TestSendCachesToken(t *testing.T) {
	c, sb, _ := newSandboxClient(t, Config{})
	ctx := context.Background()
	for i := range 3 {
		if err := c.Send(ctx, "oBuyer", "第"+string(rune('1'+i))+"条 <b>&"); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	if n := sb.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1 (cached)", n)
	}
	mail := sb.Mailbox("oBuyer", 0)
	if len(mail) != 3 || mail[2].Text != "第3条 <b>&" || mail[0].Type != "text" {
		t.Errorf("mailbox = %+v", mail)
	}
}

func TestSendRefreshesRejectedToken(t *testing.T) {
	tests := []struct {
		name   string
		reject func(*wechatsandbox.Server)
	}{
		{"40001 invalid", (*wechatsandbox.Server).RevokeTokens},
		{"42001 expired", (*wechatsandbox.Server).ExpireTokens},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sb, _ := newSandboxClient(t, Config{})
			ctx := context.Background()
			if err := c.Send(ctx, "o1", "a"); err != nil {
				t.Fatal(err)
			}
			tt.reject(sb)
			if err := c.Send(ctx, "o1", "b"); err != nil {
				t.Fatalf("Send after rejection: %v", err)
			}
			if n := sb.TokenRequests(); n != 2 {
				t.Errorf("token requests = %d, want 2", n)
			}
			if n := sb.Sends(); n != 3 {
				t.Errorf("sends = %d, want 3 (ok, rejected, retried)", n)
			}
			if n := len(sb.Mailbox("o1", 0)); n != 2 {
				t.Errorf("delivered %d, want 2", n)
			}
		})
	}
}

func TestSendErrorMapping(t *testing.T) {
	c, sb, _ := newSandboxClient(t, Config{})
	sb.CloseWindow("oClosed")
	sb.ExhaustQuota("oBusy")
	tests := []struct {
		openid string
		code   string
		errno  int64
	}{
		{"oClosed", refundbot.EFORBIDDEN, 45015},
		{"oBusy", refundbot.ERATELIMITED, 45047},
		{"", refundbot.EUNAVAILABLE, 40003},
		{"oFine", "", 0},
	}
	for _, tt := range tests {
		err := c.Send(context.Background(), refundbot.BuyerID(tt.openid), "hi")
		if refundbot.ErrorCode(err) != tt.code {
			t.Errorf("Send(%q) = %v, want %q", tt.openid, err, tt.code)
		}
		var ce *util.CommonError
		if tt.errno != 0 && (!errors.As(err, &ce) || ce.ErrCode != tt.errno) {
			t.Errorf("Send(%q) cause = %v, want errcode %d", tt.openid, err, tt.errno)
		}
	}
}

func TestSendTemplate(t *testing.T) {
	c, sb, _ := newSandboxClient(t, Config{})
	err := c.SendTemplate(context.Background(), "oT", "tpl-refund-status",
		map[string]string{"first": "退款进度更新", "keyword1": "RF00000001"}, "https://example.com/r/1")
	if err != nil {
		t.Fatal(err)
	}
	mail := sb.Mailbox("oT", 0)
	if len(mail) != 1 || mail[0].Type != "template" || mail[0].TemplateID != "tpl-refund-status" ||
		mail[0].Data["keyword1"] != "RF00000001" || mail[0].URL != "https://example.com/r/1" {
		t.Errorf("mailbox = %+v", mail)
	}
	if err := c.SendTemplate(context.Background(), "oT", "", nil, ""); refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE {
		t.Errorf("empty template id: %v", err)
	}
}

func TestFetchMedia(t *testing.T) {
	c, sb, srv := newSandboxClient(t, Config{})
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
	ctx := context.Background()
	imgID, err := UploadMedia(ctx, nil, srv.URL, "", png, "crack.png")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tokID, err := UploadMedia(ctx, nil, srv.URL, tok, []byte("\xff\xd8\xff\xe0jpeg"), "a.jpg")
	if err != nil {
		t.Fatal(err)
	}
	mp4 := []byte("\x00\x00\x00\x18ftypmp42video")
	vidID := sb.AddMedia(mp4, "video/mp4", "v.mp4")
	big := sb.AddMedia(make([]byte, MaxMediaBytes+1), "image/jpeg", "big.jpg")
	tests := []struct {
		name  string
		id    string
		data  []byte
		ctype string
		code  string
	}{
		{"png via dev upload", imgID, png, "image/png", ""},
		{"jpeg via api upload", tokID, []byte("\xff\xd8\xff\xe0jpeg"), "image/jpeg", ""},
		{"video via video_url", vidID, mp4, "video/mp4", ""},
		{"unknown id", "nope", nil, "", refundbot.ENOTFOUND},
		{"over 10 MiB", big, nil, "", refundbot.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, ctype, err := c.FetchMedia(ctx, tt.id)
			if refundbot.ErrorCode(err) != tt.code {
				t.Fatalf("FetchMedia = %v, want code %q", err, tt.code)
			}
			if !bytes.Equal(data, tt.data) || ctype != tt.ctype {
				t.Errorf("got %d bytes %q, want %d bytes %q", len(data), ctype, len(tt.data), tt.ctype)
			}
		})
	}
}

func TestBadSecretAndRedaction(t *testing.T) {
	c, _, _ := newSandboxClient(t, Config{AppSecret: "wrong-secret-value"})
	err := c.Send(context.Background(), "o1", "hi")
	if refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE {
		t.Fatalf("Send = %v, want EUNAVAILABLE", err)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("error leaks the secret: %v", err)
	}
}

func TestDeadlineAndRedaction(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cgi-bin/token" {
			_, _ = w.Write([]byte(`{"access_token":"tok-SECRET-123","expires_in":7200}`))
			return
		}
		<-release
	}))
	t.Cleanup(func() { once.Do(func() { close(release) }); slow.Close() })
	c, err := NewClient(Config{AppID: testAppID, AppSecret: testSecret, APIBase: slow.URL, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = c.Send(context.Background(), "o1", "hi")
	if refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send = %v, want EUNAVAILABLE from the deadline", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v, deadline not enforced", d)
	}
	if strings.Contains(err.Error(), "tok-SECRET-123") {
		t.Errorf("error leaks the access token: %v", err)
	}
	once.Do(func() { close(release) })
}

// TestRoutingLeavesOtherCallsAlone checks the process-wide hook: a library
// call without our route goes where its URL says.
func TestRoutingLeavesOtherCallsAlone(t *testing.T) {
	_, _, _ = newSandboxClient(t, Config{})
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("direct"))
	}))
	t.Cleanup(other.Close)
	got, err := util.HTTPGetContext(context.Background(), other.URL+"/cgi-bin/token")
	if err != nil || string(got) != "direct" {
		t.Errorf("unrouted call = %q, %v", got, err)
	}
}

func TestTwoClientsTwoSandboxes(t *testing.T) {
	c1, sb1, _ := newSandboxClient(t, Config{})
	c2, sb2, _ := newSandboxClient(t, Config{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(2)
		go func() { defer wg.Done(); _ = c1.Send(ctx, "o1", "one") }()
		go func() { defer wg.Done(); _ = c2.Send(ctx, "o2", "two") }()
	}
	wg.Wait()
	if n1, n2 := len(sb1.Mailbox("o1", 0)), len(sb2.Mailbox("o2", 0)); n1 != 5 || n2 != 5 {
		t.Errorf("sandbox 1 got %d, sandbox 2 got %d; want 5 each", n1, n2)
	}
	if len(sb1.Mailbox("o2", 0))+len(sb2.Mailbox("o1", 0)) != 0 {
		t.Error("messages crossed sandboxes")
	}
}

func TestNewClientChecksConfig(t *testing.T) {
	for _, cfg := range []Config{{}, {AppID: "a"}, {AppID: "a", AppSecret: "b", APIBase: "ftp://x"}} {
		if _, err := NewClient(cfg); refundbot.ErrorCode(err) != refundbot.EINVALID {
			t.Errorf("NewClient(%+v) = %v, want EINVALID", cfg, err)
		}
	}
}

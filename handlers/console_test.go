package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/bot"
	"github.com/refundbot/refundbot/sessions"
	"github.com/refundbot/refundbot/wechat"
)

const (
	testAdmin = "admin-token"
	testAgent = "agent-token"
)

// fakeWeChatBot stands in for the bot's webhook: it records the pushes the
// simulator makes and answers each text with a passive "回声:" reply, a
// HUMAN click with a transfer, and anything else with "success".
type fakeWeChatBot struct {
	mu     sync.Mutex
	pushes []wechat.SimMessage
	froms  []string
}

func (f *fakeWeChatBot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var p struct {
		From     string `xml:"FromUserName"`
		To       string `xml:"ToUserName"`
		Type     string `xml:"MsgType"`
		Content  string `xml:"Content"`
		MediaID  string `xml:"MediaId"`
		Event    string `xml:"Event"`
		EventKey string `xml:"EventKey"`
	}
	if err := xml.NewDecoder(r.Body).Decode(&p); err != nil || r.URL.Query().Get("signature") == "" {
		http.Error(w, "bad push", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.pushes = append(f.pushes, wechat.SimMessage{Type: p.Type, Content: p.Content, MediaID: p.MediaID, Event: p.Event, EventKey: p.EventKey})
	f.froms = append(f.froms, p.From)
	f.mu.Unlock()
	reply := func(typ, extra string) {
		io.WriteString(w, "<xml><ToUserName><![CDATA["+p.From+"]]></ToUserName><FromUserName><![CDATA["+p.To+
			"]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA["+typ+"]]></MsgType>"+extra+"</xml>")
	}
	switch {
	case p.Type == wechat.MsgText:
		reply("text", "<Content><![CDATA[回声:"+p.Content+"]]></Content>")
	case p.Type == wechat.MsgEvent && p.EventKey == refundbot.MenuHuman:
		reply("transfer_customer_service", "")
	default:
		io.WriteString(w, "success")
	}
}

func (f *fakeWeChatBot) last() (wechat.SimMessage, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.pushes) == 0 {
		return wechat.SimMessage{}, ""
	}
	return f.pushes[len(f.pushes)-1], f.froms[len(f.froms)-1]
}

type uploadRecorder struct {
	mu    sync.Mutex
	data  []byte
	name  string
	calls int
}

func (u *uploadRecorder) upload(_ context.Context, data []byte, filename string) (string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.data, u.name = data, filename
	u.calls++
	return "media-42", nil
}

// testServer is the real Server (routes, auth, error rendering) with a
// fake webhook behind its simulator and an in-memory transcript.
func testServer(t *testing.T, upload func(context.Context, []byte, string) (string, error)) (*httptest.Server, *fakeWeChatBot, *sessions.MemoryTranscripts) {
	t.Helper()
	hook := &fakeWeChatBot{}
	hookSrv := httptest.NewServer(hook)
	t.Cleanup(hookSrv.Close)
	transcripts := &sessions.MemoryTranscripts{}
	s := &Server{
		Conversations: &bot.Conversations{Transcripts: transcripts},
		Tokens:        Tokens{Admin: testAdmin, Agents: map[string]string{testAgent: "alice"}},
		Simulator:     &wechat.Simulator{BotURL: hookSrv.URL + "/wechat", Token: "tok", AppID: "wx1"},
		UploadMedia:   upload,
		Logger:        slog.New(slog.DiscardHandler),
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, hook, transcripts
}

func do(t *testing.T, method, url, token, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func pngBytes(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSimulatorMessages(t *testing.T) {
	pngB64 := base64.StdEncoding.EncodeToString(pngBytes(t))
	uploads := &uploadRecorder{}
	srv, hook, _ := testServer(t, uploads.upload)
	url := srv.URL + "/api/v1/simulator/messages"

	cases := []struct {
		name      string
		token     string
		body      any
		status    int
		reply     string // passive text wanted
		transfer  bool
		push      wechat.SimMessage // what the webhook must have received
		errSubstr string
	}{
		{name: "no token", body: map[string]string{"openid": "o1", "type": "text", "text": "你好"}, status: 401},
		{name: "unknown token", token: "nope", body: map[string]string{"openid": "o1", "type": "text", "text": "你好"}, status: 401},
		{name: "text as operator", token: testAdmin, body: map[string]string{"openid": "o_demo_buyer", "type": "text", "text": " 我要退款 "},
			status: 200, reply: "回声:我要退款", push: wechat.SimMessage{Type: "text", Content: "我要退款"}},
		{name: "text as agent", token: testAgent, body: map[string]string{"openid": "o-2_x", "type": "text", "text": "在吗"},
			status: 200, reply: "回声:在吗", push: wechat.SimMessage{Type: "text", Content: "在吗"}},
		{name: "menu click transfers", token: testAdmin, body: map[string]string{"openid": "o1", "type": "event", "event": "CLICK", "event_key": "HUMAN"},
			status: 200, transfer: true, push: wechat.SimMessage{Type: "event", Event: "CLICK", EventKey: "HUMAN"}},
		{name: "subscribe answers success", token: testAdmin, body: map[string]string{"openid": "o1", "type": "event", "event": "subscribe"},
			status: 200, push: wechat.SimMessage{Type: "event", Event: "subscribe"}},
		{name: "image uploads first", token: testAdmin, body: map[string]string{"openid": "o1", "type": "image", "image_base64": "data:image/png;base64," + pngB64},
			status: 200, push: wechat.SimMessage{Type: "image", MediaID: "media-42"}},
		{name: "missing openid", token: testAdmin, body: map[string]string{"type": "text", "text": "hi"}, status: 422, errSubstr: "openid"},
		{name: "openid with a space", token: testAdmin, body: map[string]string{"openid": "o 1", "type": "text", "text": "hi"}, status: 422, errSubstr: "openid"},
		{name: "openid too long", token: testAdmin, body: map[string]string{"openid": strings.Repeat("o", 65), "type": "text", "text": "hi"}, status: 422},
		{name: "empty text", token: testAdmin, body: map[string]string{"openid": "o1", "type": "text", "text": "  "}, status: 422, errSubstr: "text"},
		{name: "text of 601 runes", token: testAdmin, body: map[string]string{"openid": "o1", "type": "text", "text": strings.Repeat("退", 601)}, status: 422, errSubstr: "600"},
		{name: "unknown type", token: testAdmin, body: map[string]string{"openid": "o1", "type": "voice"}, status: 422},
		{name: "unknown menu key", token: testAdmin, body: map[string]string{"openid": "o1", "type": "event", "event": "CLICK", "event_key": "DROP"}, status: 422},
		{name: "unknown event", token: testAdmin, body: map[string]string{"openid": "o1", "type": "event", "event": "unsubscribe"}, status: 422},
		{name: "image not base64", token: testAdmin, body: map[string]string{"openid": "o1", "type": "image", "image_base64": "***"}, status: 422},
		{name: "image is a GIF", token: testAdmin, body: map[string]string{"openid": "o1", "type": "image", "image_base64": base64.StdEncoding.EncodeToString([]byte("GIF89a......"))}, status: 422, errSubstr: "JPEG"},
		{name: "body not JSON", token: testAdmin, body: "{", status: 422},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ok := c.body.(string)
			if !ok {
				body = jsonBody(t, c.body)
			}
			before, _ := hook.last()
			status, _, b := do(t, http.MethodPost, url, c.token, body)
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, b)
			}
			if status != http.StatusOK {
				var e errorBody
				if err := json.Unmarshal(b, &e); err != nil || e.Error.Code == "" {
					t.Fatalf("error body %s is not {error: {code, message}}", b)
				}
				if !strings.Contains(e.Error.Message, c.errSubstr) {
					t.Errorf("message %q does not mention %q", e.Error.Message, c.errSubstr)
				}
				if after, _ := hook.last(); after != before && status != 401 {
					t.Errorf("a refused request reached the webhook")
				}
				return
			}
			var got struct {
				Reply struct {
					Text     string `json:"text"`
					Transfer *bool  `json:"transfer"`
				} `json:"reply"`
			}
			if err := json.Unmarshal(b, &got); err != nil || got.Reply.Transfer == nil {
				t.Fatalf("body %s is not {reply: {text, transfer}}", b)
			}
			if got.Reply.Text != c.reply || *got.Reply.Transfer != c.transfer {
				t.Errorf("reply = %+v, want text %q transfer %v", got.Reply, c.reply, c.transfer)
			}
			push, from := hook.last()
			if push != c.push {
				t.Errorf("webhook got %+v, want %+v", push, c.push)
			}
			var req struct{ OpenID string }
			_ = json.Unmarshal([]byte(body), &req)
			if from != req.OpenID {
				t.Errorf("push from %q, want %q", from, req.OpenID)
			}
		})
	}
	if uploads.calls != 1 || !bytes.Equal(uploads.data, pngBytes(t)) || uploads.name != "simulator.png" {
		t.Errorf("upload: %d calls, %d bytes, name %q", uploads.calls, len(uploads.data), uploads.name)
	}
}

func TestSimulatorImageNeedsDevMode(t *testing.T) {
	srv, _, _ := testServer(t, nil)
	body := jsonBody(t, map[string]string{"openid": "o1", "type": "image", "image_base64": base64.StdEncoding.EncodeToString(pngBytes(t))})
	status, _, b := do(t, http.MethodPost, srv.URL+"/api/v1/simulator/messages", testAdmin, body)
	if status != 422 || !strings.Contains(string(b), "图片模拟仅在开发模式可用") {
		t.Fatalf("status %d body %s, want 422 图片模拟仅在开发模式可用", status, b)
	}
}

func TestSimulatorWebhookDown(t *testing.T) {
	s := &Server{
		Conversations: &bot.Conversations{Transcripts: &sessions.MemoryTranscripts{}},
		Tokens:        Tokens{Admin: testAdmin},
		Simulator:     &wechat.Simulator{BotURL: "http://127.0.0.1:1/wechat", Token: "tok"},
		Logger:        slog.New(slog.DiscardHandler),
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	status, _, b := do(t, http.MethodPost, srv.URL+"/api/v1/simulator/messages", testAdmin, `{"openid":"o1","type":"text","text":"hi"}`)
	if status != http.StatusServiceUnavailable || !strings.Contains(string(b), refundbot.EUNAVAILABLE) {
		t.Fatalf("status %d body %s, want 503 unavailable", status, b)
	}
}

func TestDecodeSimImageLimit(t *testing.T) {
	big := append(pngBytes(t), make([]byte, maxSimImageBytes)...)
	cases := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"png", pngBytes(t), true},
		{"jpeg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 64)...), true},
		{"over 10 MiB", big, false},
		{"text", []byte("hello, world"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decodeSimImage(base64.StdEncoding.EncodeToString(c.data))
			if (err == nil) != c.ok {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
			if err != nil && refundbot.ErrorCode(err) != refundbot.EINVALID {
				t.Errorf("code %q, want EINVALID", refundbot.ErrorCode(err))
			}
		})
	}
}

func TestTranscriptAndMe(t *testing.T) {
	srv, _, transcripts := testServer(t, nil)
	ctx := context.Background()
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for i, l := range []refundbot.TranscriptLine{
		{From: refundbot.FromBuyer, Text: "我要退款"},
		{From: refundbot.FromBot, Text: "请发订单号"},
		{From: refundbot.FromAgent, Text: "您好", Undelivered: "未送达:forbidden"},
	} {
		l.At = at.Add(time.Duration(i) * time.Second)
		if err := transcripts.Append(ctx, "o_demo_buyer", l); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		path   string
		token  string
		status int
		texts  []string
	}{
		{"all lines oldest first", "/api/v1/conversations/o_demo_buyer/transcript", testAgent, 200, []string{"我要退款", "请发订单号", "您好"}},
		{"limit keeps the newest", "/api/v1/conversations/o_demo_buyer/transcript?limit=2", testAdmin, 200, []string{"请发订单号", "您好"}},
		{"unknown buyer is empty", "/api/v1/conversations/o_nobody/transcript", testAdmin, 200, []string{}},
		{"bad limit", "/api/v1/conversations/o_demo_buyer/transcript?limit=-1", testAdmin, 422, nil},
		{"bad openid", "/api/v1/conversations/o%20x/transcript", testAdmin, 422, nil},
		{"no token", "/api/v1/conversations/o_demo_buyer/transcript", "", 401, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, _, b := do(t, http.MethodGet, srv.URL+c.path, c.token, "")
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, b)
			}
			if c.texts == nil {
				return
			}
			var got struct {
				Transcript []refundbot.TranscriptLine `json:"transcript"`
			}
			if err := json.Unmarshal(b, &got); err != nil || got.Transcript == nil {
				t.Fatalf("body %s is not {transcript: [...]}", b)
			}
			texts := []string{}
			for _, l := range got.Transcript {
				texts = append(texts, l.Text)
			}
			if strings.Join(texts, "|") != strings.Join(c.texts, "|") {
				t.Errorf("texts %q, want %q", texts, c.texts)
			}
		})
	}

	for _, c := range []struct{ token, name, role string }{{testAdmin, "admin", "operator"}, {testAgent, "alice", "agent"}} {
		status, _, b := do(t, http.MethodGet, srv.URL+"/api/v1/me", c.token, "")
		var me map[string]string
		if status != 200 || json.Unmarshal(b, &me) != nil || me["name"] != c.name || me["role"] != c.role {
			t.Errorf("/me with %s: %d %s", c.name, status, b)
		}
	}
}

func TestConsoleAssets(t *testing.T) {
	srv, _, _ := testServer(t, nil)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(srv.URL + "/console")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/console/" {
		t.Fatalf("/console: %d to %q, want 301 to /console/", resp.StatusCode, resp.Header.Get("Location"))
	}

	cases := []struct {
		path   string
		status int
		ctype  string
	}{
		{"/console/", 200, "text/html; charset=utf-8"},
		{"/console/index.html", 200, "text/html; charset=utf-8"},
		{"/console/app.js", 200, "text/javascript; charset=utf-8"},
		{"/console/simulator.js", 200, "text/javascript; charset=utf-8"},
		{"/console/app.css", 200, "text/css; charset=utf-8"},
		{"/console/nope.js", 404, "application/json"},
		{"/console/../server.go", 404, "application/json"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			status, h, b := do(t, http.MethodGet, srv.URL+c.path, "", "")
			if status != c.status || !strings.HasPrefix(h.Get("Content-Type"), c.ctype) {
				t.Fatalf("%d %q, want %d %q", status, h.Get("Content-Type"), c.status, c.ctype)
			}
			if status != 200 {
				return
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("security headers missing: %v", h)
			}
			if h.Get("Cache-Control") != "no-cache" || h.Get("ETag") == "" {
				t.Errorf("cache headers: %q %q", h.Get("Cache-Control"), h.Get("ETag"))
			}
			if len(b) == 0 {
				t.Error("empty file")
			}
			// Revalidation answers 304 with no body.
			req, _ := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
			req.Header.Set("If-None-Match", h.Get("ETag"))
			r2, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r2.Body.Close()
			if r2.StatusCode != http.StatusNotModified {
				t.Errorf("revalidation: %d, want 304", r2.StatusCode)
			}
		})
	}
}

// TestConsoleFilesFollowCSP checks what the CSP would otherwise break only
// in a browser: no inline script or handler, no outside URL, and every
// module import names an embedded file.
func TestConsoleFilesFollowCSP(t *testing.T) {
	sub, err := fs.Sub(consoleFiles, "console")
	if err != nil {
		t.Fatal(err)
	}
	assets, err := loadConsole(sub)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"index.html", "app.js", "app.css", "lib.js"} {
		if _, ok := assets[want]; !ok {
			t.Errorf("%s is not embedded", want)
		}
	}
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	handlerAttr := regexp.MustCompile(`\son[a-z]+\s*=\s*["']`)
	outside := regexp.MustCompile(`(?:src|href)\s*=\s*["']?(?:https?:)?//`)
	imports := regexp.MustCompile(`from\s+"\./([^"]+)"`)
	for name, a := range assets {
		text := string(a.body)
		if strings.HasSuffix(name, ".html") {
			if inlineScript.MatchString(text) || handlerAttr.MatchString(text) || strings.Contains(text, "style=") {
				t.Errorf("%s has inline script, handler or style", name)
			}
			if outside.MatchString(text) {
				t.Errorf("%s loads something from another origin", name)
			}
		}
		if strings.HasSuffix(name, ".js") {
			if strings.Contains(text, "innerHTML") || strings.Contains(text, "eval(") {
				t.Errorf("%s uses innerHTML or eval", name)
			}
			for _, m := range imports.FindAllStringSubmatch(text, -1) {
				if _, ok := assets[m[1]]; !ok {
					t.Errorf("%s imports ./%s, which is not embedded", name, m[1])
				}
			}
		}
	}
}

func FuzzParseSimRequest(f *testing.F) {
	f.Add([]byte(`{"openid":"o_demo_buyer","type":"text","text":"我要退款"}`))
	f.Add([]byte(`{"openid":"o1","type":"event","event":"CLICK","event_key":"REFUND"}`))
	f.Add([]byte(`{"openid":"o1","type":"event","event":"subscribe"}`))
	f.Add([]byte(`{"openid":"o1","type":"image","image_base64":"data:image/png;base64,iVBORw0KGgo="}`))
	f.Add([]byte(`{"openid":"","type":""}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := parseSimRequest(body)
		if err != nil {
			var re *refundbot.Error
			if !errors.As(err, &re) || re.Code != refundbot.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if !openIDPattern.MatchString(a.openid) {
			t.Fatalf("accepted openid %q", a.openid)
		}
		switch a.msg.Type {
		case wechat.MsgText:
			if a.msg.Content == "" || utf8.RuneCountInString(a.msg.Content) > maxSimTextRunes || !utf8.ValidString(a.msg.Content) {
				t.Fatalf("accepted text %q", a.msg.Content)
			}
		case wechat.MsgImage:
			if ct := http.DetectContentType(a.image); ct != "image/png" && ct != "image/jpeg" || len(a.image) > maxSimImageBytes {
				t.Fatalf("accepted image of %s, %d bytes", ct, len(a.image))
			}
		case wechat.MsgEvent:
			if !(a.msg.Event == "subscribe" && a.msg.EventKey == "") && !(a.msg.Event == "CLICK" && simMenuKeys[a.msg.EventKey]) {
				t.Fatalf("accepted event %q %q", a.msg.Event, a.msg.EventKey)
			}
		default:
			t.Fatalf("accepted type %q", a.msg.Type)
		}
	})
}

package wechatsandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func newServer(t *testing.T) (*Server, string) {
	t.Helper()
	s := New(WithCredentials("wxapp", "secret"))
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

func getJSON(t *testing.T, u string) map[string]any {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return decode(t, resp)
}

func postJSON(t *testing.T, u, body string) map[string]any {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return decode(t, resp)
}

func decode(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("%s: %v", resp.Request.URL.Path, err)
	}
	return m
}

func errcode(m map[string]any) int {
	f, _ := m["errcode"].(float64)
	return int(f)
}

func token(t *testing.T, base string) string {
	t.Helper()
	m := getJSON(t, base+"/cgi-bin/token?grant_type=client_credential&appid=wxapp&secret=secret")
	tok, _ := m["access_token"].(string)
	if tok == "" || m["expires_in"].(float64) != 7200 {
		t.Fatalf("token answer %v", m)
	}
	return tok
}

func TestToken(t *testing.T) {
	s, base := newServer(t)
	tests := []struct {
		query string
		code  int
	}{
		{"grant_type=client_credential&appid=wxapp&secret=secret", 0},
		{"grant_type=client_credential&appid=wxapp&secret=bad", CodeInvalidSecret},
		{"grant_type=client_credential&appid=wxother&secret=secret", CodeInvalidAppID},
		{"grant_type=password&appid=wxapp&secret=secret", CodeInvalidGrantType},
		{"grant_type=client_credential&secret=secret", 41002},
	}
	for _, tt := range tests {
		if got := errcode(getJSON(t, base+"/cgi-bin/token?"+tt.query)); got != tt.code {
			t.Errorf("%s: errcode %d, want %d", tt.query, got, tt.code)
		}
	}
	if n := s.TokenRequests(); n != int64(len(tests)) {
		t.Errorf("TokenRequests = %d", n)
	}
}

func TestCustomSend(t *testing.T) {
	s, base := newServer(t)
	tok := token(t, base)
	s.CloseWindow("oClosed")
	s.ExhaustQuota("oBusy")
	text := `{"touser":"%s","msgtype":"text","text":{"content":"你好"}}`
	tests := []struct {
		name, token, body string
		code              int
	}{
		{"ok", tok, strings.Replace(text, "%s", "o1", 1), 0},
		{"no token", "", strings.Replace(text, "%s", "o1", 1), CodeMissingToken},
		{"bad token", "forged", strings.Replace(text, "%s", "o1", 1), CodeInvalidCredential},
		{"window closed", tok, strings.Replace(text, "%s", "oClosed", 1), CodeWindowClosed},
		{"quota", tok, strings.Replace(text, "%s", "oBusy", 1), CodeSendQuota},
		{"no openid", tok, strings.Replace(text, "%s", "", 1), CodeInvalidOpenID},
		{"not json", tok, "{", 47001},
	}
	for _, tt := range tests {
		u := base + "/cgi-bin/message/custom/send?" + url.Values{"access_token": {tt.token}}.Encode()
		if got := errcode(postJSON(t, u, tt.body)); got != tt.code {
			t.Errorf("%s: errcode %d, want %d", tt.name, got, tt.code)
		}
	}
	s.OpenWindow("oClosed")
	u := base + "/cgi-bin/message/custom/send?access_token=" + tok
	if got := errcode(postJSON(t, u, strings.Replace(text, "%s", "oClosed", 1))); got != 0 {
		t.Errorf("reopened window: errcode %d", got)
	}
	if n := s.Sends(); n != int64(len(tests))+1 {
		t.Errorf("Sends = %d", n)
	}
	s.RevokeTokens()
	if got := errcode(postJSON(t, u, strings.Replace(text, "%s", "o1", 1))); got != CodeInvalidCredential {
		t.Errorf("revoked token: errcode %d", got)
	}
	tok = token(t, base)
	s.ExpireTokens()
	u = base + "/cgi-bin/message/custom/send?access_token=" + tok
	if got := errcode(postJSON(t, u, strings.Replace(text, "%s", "o1", 1))); got != CodeExpiredToken {
		t.Errorf("expired token: errcode %d", got)
	}
	if mail := s.Mailbox("o1", 0); len(mail) != 1 || mail[0].Text != "你好" {
		t.Errorf("mailbox = %+v", mail)
	}
}

func TestMailboxLongPoll(t *testing.T) {
	_, base := newServer(t)
	tok := token(t, base)
	// Nothing yet: wait=0 answers at once with an empty list.
	m := getJSON(t, base+"/sandbox/mailbox?openid=o1")
	if msgs := m["messages"].([]any); len(msgs) != 0 {
		t.Fatalf("messages = %v", msgs)
	}
	post := func(path, body string) {
		resp, err := http.Post(base+path+"?access_token="+tok, "application/json", strings.NewReader(body))
		if err == nil {
			resp.Body.Close()
		}
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		post("/cgi-bin/message/custom/send", `{"touser":"o2","msgtype":"text","text":{"content":"not yours"}}`)
		post("/cgi-bin/message/template/send",
			`{"touser":"o1","template_id":"tpl","data":{"first":{"value":"退款成功"},"keyword1":{"value":"RF1"}}}`)
	}()
	start := time.Now()
	m = getJSON(t, base+"/sandbox/mailbox?openid=o1&after=0&wait=5")
	msgs := m["messages"].([]any)
	if len(msgs) != 1 || time.Since(start) > 4*time.Second {
		t.Fatalf("long poll = %v after %v", msgs, time.Since(start))
	}
	got := msgs[0].(map[string]any)
	if got["type"] != "template" || got["text"] != "退款成功\nRF1" || got["openid"] != "o1" || got["seq"].(float64) != 2 {
		t.Errorf("message = %v", got)
	}
	// after= skips what was read; a short wait times out empty.
	start = time.Now()
	m = getJSON(t, base+"/sandbox/mailbox?openid=o1&after=2&wait=0.2")
	if msgs := m["messages"].([]any); len(msgs) != 0 || time.Since(start) < 150*time.Millisecond {
		t.Errorf("after=2: %v in %v", msgs, time.Since(start))
	}
}

func upload(t *testing.T, u string, data []byte, ctype string) map[string]any {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("media", "a.png")
	_, _ = part.Write(data)
	_ = mw.Close()
	resp, err := http.Post(u, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return decode(t, resp)
}

func TestMedia(t *testing.T) {
	s, base := newServer(t)
	tok := token(t, base)
	png := append([]byte("\x89PNG\r\n\x1a\n"), 1, 2, 3)
	m := upload(t, base+"/cgi-bin/media/upload?type=image&access_token="+tok, png, "image/png")
	id, _ := m["media_id"].(string)
	if id == "" || m["type"] != "image" {
		t.Fatalf("upload = %v", m)
	}
	if got := errcode(upload(t, base+"/cgi-bin/media/upload?type=image", png, "image/png")); got != CodeMissingToken {
		t.Errorf("upload without token: errcode %d", got)
	}
	resp, err := http.Get(base + "/cgi-bin/media/get?access_token=" + tok + "&media_id=" + id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, png) || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("media get = %q %q", got, resp.Header.Get("Content-Type"))
	}
	if c := errcode(getJSON(t, base+"/cgi-bin/media/get?access_token="+tok+"&media_id=nope")); c != CodeInvalidMediaID {
		t.Errorf("unknown media: errcode %d", c)
	}
	vid := s.AddMedia([]byte("mp4"), "video/mp4", "v.mp4")
	v := getJSON(t, base+"/cgi-bin/media/get?access_token="+tok+"&media_id="+vid)
	if u, _ := v["video_url"].(string); !strings.HasPrefix(u, base+"/sandbox/video?") {
		t.Errorf("video answer = %v", v)
	}
	if s.Uploads() != 2 || s.MediaGets() != 3 {
		t.Errorf("Uploads = %d, MediaGets = %d", s.Uploads(), s.MediaGets())
	}
}

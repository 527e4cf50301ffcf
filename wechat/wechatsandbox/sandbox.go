// Package wechatsandbox is a fake of WeChat's API server for development
// and tests: the access token, customer-service and template messages and
// temporary media, on the real wire protocol, plus a dev-only mailbox where
// the chat tool reads what the bot sent. It keeps everything in memory and
// must never be reachable in production.
package wechatsandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Error codes WeChat answers with, as the sandbox uses them.
const (
	CodeInvalidCredential = 40001
	CodeInvalidGrantType  = 40002
	CodeInvalidOpenID     = 40003
	CodeInvalidMediaID    = 40007
	CodeInvalidAppID      = 40013
	CodeInvalidTemplateID = 40037
	CodeInvalidSecret     = 40125
	CodeMissingToken      = 41001
	CodeExpiredToken      = 42001
	CodeWindowClosed      = 45015
	CodeSendQuota         = 45047
)

const (
	tokenLifetime = 7200 * time.Second
	maxMediaBytes = 10 << 20
	maxJSONBody   = 1 << 20
	maxWait       = 30 * time.Second
)

// Mail is one message the bot sent to a buyer.
type Mail struct {
	Seq        int64             `json:"seq"`
	OpenID     string            `json:"openid"`
	Type       string            `json:"type"` // "text" or "template"
	Text       string            `json:"text"`
	TemplateID string            `json:"template_id,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
	URL        string            `json:"url,omitempty"`
	At         time.Time         `json:"at"`
}

type media struct {
	data        []byte
	contentType string
	filename    string
}

// Server is the fake. The zero value is not usable; call New.
type Server struct {
	mux *http.ServeMux

	mu       sync.Mutex
	appID    string // when set, only these credentials get a token
	secret   string
	tokens   map[string]time.Time // token -> expiry
	closed   map[string]bool      // openids whose 48-hour window is closed
	quota    map[string]bool      // openids whose send quota is used up
	mail     []Mail
	seq      int64
	arrived  chan struct{} // closed and replaced whenever mail arrives
	media    map[string]media
	now      func() time.Time
	mediaSeq int64

	tokenRequests atomic.Int64
	sends         atomic.Int64
	templateSends atomic.Int64
	uploads       atomic.Int64
	mediaGets     atomic.Int64
}

// Option configures a Server.
type Option func(*Server)

// WithCredentials makes the token endpoint accept only this app id and
// secret, answering 40013 or 40125 as WeChat does. Without it any
// credentials get a token.
func WithCredentials(appID, secret string) Option {
	return func(s *Server) { s.appID, s.secret = appID, secret }
}

// New returns an empty sandbox.
func New(opts ...Option) *Server {
	s := &Server{
		tokens:  map[string]time.Time{},
		closed:  map[string]bool{},
		quota:   map[string]bool{},
		media:   map[string]media{},
		arrived: make(chan struct{}),
		now:     time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cgi-bin/token", s.token)
	mux.HandleFunc("POST /cgi-bin/message/custom/send", s.customSend)
	mux.HandleFunc("POST /cgi-bin/message/template/send", s.templateSend)
	mux.HandleFunc("POST /cgi-bin/media/upload", s.upload)
	mux.HandleFunc("GET /cgi-bin/media/get", s.mediaGet)
	mux.HandleFunc("GET /sandbox/mailbox", s.mailbox)
	mux.HandleFunc("POST /sandbox/media", s.devUpload)
	mux.HandleFunc("GET /sandbox/video", s.video)
	s.mux = mux
	return s
}

// ServeHTTP serves WeChat's API paths and /sandbox/ dev paths.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// CloseWindow makes sends to openid fail with 45015, as when the buyer
// has not written for 48 hours; OpenWindow undoes it.
func (s *Server) CloseWindow(openid string) { s.setFlag(s.closed, openid, true) }

// OpenWindow lets sends to openid through again.
func (s *Server) OpenWindow(openid string) { s.setFlag(s.closed, openid, false) }

// ExhaustQuota makes sends to openid fail with 45047.
func (s *Server) ExhaustQuota(openid string) { s.setFlag(s.quota, openid, true) }

func (s *Server) setFlag(m map[string]bool, openid string, v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v {
		m[openid] = true
	} else {
		delete(m, openid)
	}
}

// RevokeTokens invalidates every issued token, as when another process
// fetched a new one: the next call with an old token gets 40001.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// ExpireTokens makes every issued token expired: the next call gets 42001.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for t := range s.tokens {
		s.tokens[t] = past
	}
}

// AddMedia stores a file as temporary media and returns its media id.
func (s *Server) AddMedia(data []byte, contentType, filename string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mediaSeq++
	id := fmt.Sprintf("sandbox-media-%d-%s", s.mediaSeq, randomHex(8))
	s.media[id] = media{data: bytes.Clone(data), contentType: contentType, filename: filename}
	return id
}

// Mailbox returns what was sent to openid (everyone when empty) after seq.
func (s *Server) Mailbox(openid string, after int64) []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mailLocked(openid, after)
}

func (s *Server) mailLocked(openid string, after int64) []Mail {
	out := []Mail{}
	for _, m := range s.mail {
		if m.Seq > after && (openid == "" || m.OpenID == openid) {
			out = append(out, m)
		}
	}
	return out
}

// Counters for tests.

// TokenRequests counts calls to /cgi-bin/token, failed ones included.
func (s *Server) TokenRequests() int64 { return s.tokenRequests.Load() }

// Sends counts customer-service send calls, failed ones included.
func (s *Server) Sends() int64 { return s.sends.Load() }

// TemplateSends counts template send calls, failed ones included.
func (s *Server) TemplateSends() int64 { return s.templateSends.Load() }

// Uploads counts media upload calls, failed ones included.
func (s *Server) Uploads() int64 { return s.uploads.Load() }

// MediaGets counts media downloads.
func (s *Server) MediaGets() int64 { return s.mediaGets.Load() }

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.tokenRequests.Add(1)
	q := r.URL.Query()
	switch {
	case q.Get("grant_type") != "client_credential":
		writeErr(w, CodeInvalidGrantType, "invalid grant_type")
		return
	case q.Get("appid") == "":
		writeErr(w, 41002, "appid missing")
		return
	case q.Get("secret") == "":
		writeErr(w, 41004, "appsecret missing")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.appID != "" && q.Get("appid") != s.appID {
		writeErr(w, CodeInvalidAppID, "invalid appid")
		return
	}
	if s.secret != "" && q.Get("secret") != s.secret {
		writeErr(w, CodeInvalidSecret, "invalid appsecret")
		return
	}
	tok := "sandbox-" + randomHex(24)
	s.tokens[tok] = s.now().Add(tokenLifetime)
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": int(tokenLifetime.Seconds())})
}

// checkToken answers the token error itself and reports whether the call
// may go on.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request) bool {
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		writeErr(w, CodeMissingToken, "access_token missing")
		return false
	}
	s.mu.Lock()
	exp, ok := s.tokens[tok]
	now := s.now()
	s.mu.Unlock()
	switch {
	case !ok:
		writeErr(w, CodeInvalidCredential, "invalid credential, access_token is invalid or not latest")
		return false
	case now.After(exp):
		writeErr(w, CodeExpiredToken, "access_token expired")
		return false
	}
	return true
}

func (s *Server) customSend(w http.ResponseWriter, r *http.Request) {
	s.sends.Add(1)
	if !s.checkToken(w, r) {
		return
	}
	var msg struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		Text    *struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if !readJSON(w, r, &msg) {
		return
	}
	if msg.ToUser == "" {
		writeErr(w, CodeInvalidOpenID, "invalid openid")
		return
	}
	if msg.MsgType != "text" || msg.Text == nil {
		writeErr(w, 40008, "invalid message type")
		return
	}
	s.mu.Lock()
	closed, quota := s.closed[msg.ToUser], s.quota[msg.ToUser]
	s.mu.Unlock()
	switch {
	case closed:
		writeErr(w, CodeWindowClosed, "response out of time limit or subscription is canceled")
		return
	case quota:
		writeErr(w, CodeSendQuota, "out of response count limit")
		return
	}
	s.deliver(Mail{OpenID: msg.ToUser, Type: "text", Text: msg.Text.Content})
	writeErr(w, 0, "ok")
}

func (s *Server) templateSend(w http.ResponseWriter, r *http.Request) {
	s.templateSends.Add(1)
	if !s.checkToken(w, r) {
		return
	}
	var msg struct {
		ToUser     string `json:"touser"`
		TemplateID string `json:"template_id"`
		URL        string `json:"url"`
		Data       map[string]struct {
			Value string `json:"value"`
		} `json:"data"`
	}
	if !readJSON(w, r, &msg) {
		return
	}
	switch {
	case msg.ToUser == "":
		writeErr(w, CodeInvalidOpenID, "invalid openid")
		return
	case msg.TemplateID == "":
		writeErr(w, CodeInvalidTemplateID, "invalid template_id")
		return
	}
	data := make(map[string]string, len(msg.Data))
	keys := make([]string, 0, len(msg.Data))
	for k, v := range msg.Data {
		data[k] = v.Value
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var text strings.Builder
	for _, k := range keys {
		if text.Len() > 0 {
			text.WriteByte('\n')
		}
		text.WriteString(data[k])
	}
	seq := s.deliver(Mail{OpenID: msg.ToUser, Type: "template", Text: text.String(),
		TemplateID: msg.TemplateID, Data: data, URL: msg.URL})
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": seq})
}

func (s *Server) deliver(m Mail) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	m.Seq, m.At = s.seq, s.now()
	s.mail = append(s.mail, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
	return m.Seq
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	s.uploads.Add(1)
	if !s.checkToken(w, r) {
		return
	}
	typ := r.URL.Query().Get("type")
	switch typ {
	case "image", "video", "voice", "thumb":
	default:
		writeErr(w, 40004, "invalid media type")
		return
	}
	s.store(w, r, typ)
}

// devUpload is /cgi-bin/media/upload without a token, for the chat tool.
func (s *Server) devUpload(w http.ResponseWriter, r *http.Request) {
	s.uploads.Add(1)
	typ := r.URL.Query().Get("type")
	if typ == "" {
		typ = "image"
	}
	s.store(w, r, typ)
}

func (s *Server) store(w http.ResponseWriter, r *http.Request, typ string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxMediaBytes+64<<10)
	f, hdr, err := r.FormFile("media")
	if err != nil {
		writeErr(w, 41005, "media data missing")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxMediaBytes+1))
	if err != nil || len(data) > maxMediaBytes {
		writeErr(w, 40006, "invalid media size")
		return
	}
	ctype := hdr.Header.Get("Content-Type")
	if ctype == "" || ctype == "application/octet-stream" {
		ctype = http.DetectContentType(data)
	}
	id := s.AddMedia(data, ctype, hdr.Filename)
	writeJSON(w, map[string]any{"type": typ, "media_id": id, "created_at": s.now().Unix()})
}

func (s *Server) mediaGet(w http.ResponseWriter, r *http.Request) {
	s.mediaGets.Add(1)
	if !s.checkToken(w, r) {
		return
	}
	id := r.URL.Query().Get("media_id")
	s.mu.Lock()
	m, ok := s.media[id]
	s.mu.Unlock()
	if !ok {
		writeErr(w, CodeInvalidMediaID, "invalid media_id")
		return
	}
	// WeChat answers a video's media id with a download URL, not bytes.
	if strings.HasPrefix(m.contentType, "video/") {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		writeJSON(w, map[string]string{"video_url": scheme + "://" + r.Host + "/sandbox/video?media_id=" + id})
		return
	}
	writeFile(w, m)
}

func (s *Server) video(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	m, ok := s.media[r.URL.Query().Get("media_id")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeFile(w, m)
}

func writeFile(w http.ResponseWriter, m media) {
	w.Header().Set("Content-Type", m.contentType)
	if m.filename != "" {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": m.filename}))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(m.data)))
	_, _ = w.Write(m.data)
}

// mailbox is GET /sandbox/mailbox?openid=&after=N&wait=S: messages after
// seq N, waiting up to S seconds (at most 30) for the first one.
func (s *Server) mailbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	openid := q.Get("openid")
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	wait, _ := strconv.ParseFloat(q.Get("wait"), 64)
	d := min(time.Duration(wait*float64(time.Second)), maxWait)
	timer := time.NewTimer(max(d, 0))
	defer timer.Stop()
	for {
		s.mu.Lock()
		msgs := s.mailLocked(openid, after)
		arrived := s.arrived
		s.mu.Unlock()
		if len(msgs) > 0 || d <= 0 {
			writeJSON(w, map[string]any{"messages": msgs})
			return
		}
		select {
		case <-arrived:
		case <-timer.C:
			d = 0
		case <-r.Context().Done():
			return
		}
	}
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody))
	if err != nil || json.Unmarshal(body, v) != nil {
		writeErr(w, 47001, "data format error")
		return false
	}
	return true
}

// writeErr answers as WeChat does: HTTP 200 with errcode and errmsg.
func writeErr(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, map[string]any{"errcode": code, "errmsg": msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

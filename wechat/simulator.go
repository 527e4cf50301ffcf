package wechat

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// Simulator plays WeChat's servers towards the bot: it builds, signs (and in
// safe mode encrypts) pushes exactly as WeChat does, posts them to the bot
// and reads the passive reply. The chat tool and e2e tests use it.
type Simulator struct {
	BotURL         string // the bot's server URL, e.g. http://127.0.0.1:8080/wechat
	Token          string
	EncodingAESKey string // set = safe mode
	AppID          string
	// Account is the ToUserName of pushes, the account's original id.
	// Empty means "gh_sandbox".
	Account    string
	HTTPClient *http.Client // nil means a client with a 10 s timeout
	// Now is the clock used for CreateTime and timestamp; nil means
	// time.Now. Tests set it to make stale pushes.
	Now func() time.Time

	msgID atomic.Int64
}

// SimMessage is what a buyer does in the chat.
type SimMessage struct {
	Type        string // MsgText, MsgImage, MsgVoice, MsgVideo or MsgEvent
	Content     string
	MediaID     string
	PicURL      string
	Recognition string
	Format      string // voice; empty means "amr"
	Event       string
	EventKey    string
	// MsgID is the push's MsgId; zero picks a fresh one. Set it to replay
	// a message as WeChat's retries do.
	MsgID int64
}

// SimReply is how the bot answered a push.
type SimReply struct {
	// Passive is the passive reply message, nil when the bot answered
	// "success" or nothing.
	Passive *Message
	// Text is the passive reply's text.
	Text string
	// Transfer is set for transfer_customer_service, with KfAccount when
	// the bot named one.
	Transfer  bool
	KfAccount string
	// MsgID is the MsgId the push carried.
	MsgID int64
}

// Send pushes msg from openid to the bot and returns its passive reply.
func (s *Simulator) Send(ctx context.Context, openid string, msg SimMessage) (*SimReply, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	t := now()
	id := msg.MsgID
	if id == 0 && msg.Type != MsgEvent {
		id = s.nextMsgID(t)
	}
	raw, err := s.pushXML(openid, msg, t, id)
	if err != nil {
		return nil, err
	}
	timestamp, nonce := strconv.FormatInt(t.Unix(), 10), newNonce()
	q := url.Values{
		"signature": {util.Signature(s.Token, timestamp, nonce)},
		"timestamp": {timestamp},
		"nonce":     {nonce},
		"openid":    {openid},
	}
	body := raw
	if s.EncodingAESKey != "" {
		random := make([]byte, 16)
		if _, err := rand.Read(random); err != nil {
			return nil, fmt.Errorf("simulator: random: %w", err)
		}
		enc, err := util.EncryptMsg(random, raw, s.AppID, s.EncodingAESKey)
		if err != nil {
			return nil, fmt.Errorf("simulator: encrypt: %w", err)
		}
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", util.Signature(s.Token, timestamp, nonce, string(enc)))
		body, err = xml.Marshal(message.EncryptedXMLMsg{ToUserName: s.account(), EncryptedMsg: string(enc)})
		if err != nil {
			return nil, fmt.Errorf("simulator: envelope: %w", err)
		}
	}
	u, err := url.Parse(s.BotURL)
	if err != nil {
		return nil, fmt.Errorf("simulator: bot URL: %w", err)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("simulator: post: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes))
	if err != nil {
		return nil, fmt.Errorf("simulator: read reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("simulator: bot answered HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(out))
	}
	reply, err := s.readReply(out)
	if err != nil {
		return nil, err
	}
	reply.MsgID = id
	return reply, nil
}

// nextMsgID makes MsgIds that look like WeChat's (64-bit, growing) and
// differ between simulators started in the same second.
func (s *Simulator) nextMsgID(t time.Time) int64 {
	if s.msgID.Load() == 0 {
		var b [2]byte
		_, _ = rand.Read(b[:])
		s.msgID.CompareAndSwap(0, t.Unix()<<20|int64(binary.BigEndian.Uint16(b[:]))<<4)
	}
	return s.msgID.Add(1)
}

func (s *Simulator) account() string {
	if s.Account != "" {
		return s.Account
	}
	return "gh_sandbox"
}

func (s *Simulator) client() *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// simPush is the XML WeChat pushes; only the type's own fields are set.
type simPush struct {
	XMLName      xml.Name       `xml:"xml"`
	ToUserName   message.CDATA  `xml:"ToUserName"`
	FromUserName message.CDATA  `xml:"FromUserName"`
	CreateTime   int64          `xml:"CreateTime"`
	MsgType      message.CDATA  `xml:"MsgType"`
	Content      *message.CDATA `xml:"Content,omitempty"`
	PicURL       *message.CDATA `xml:"PicUrl,omitempty"`
	MediaID      *message.CDATA `xml:"MediaId,omitempty"`
	Format       *message.CDATA `xml:"Format,omitempty"`
	Recognition  *message.CDATA `xml:"Recognition,omitempty"`
	ThumbMediaID *message.CDATA `xml:"ThumbMediaId,omitempty"`
	Event        *message.CDATA `xml:"Event,omitempty"`
	EventKey     *message.CDATA `xml:"EventKey,omitempty"`
	MsgID        int64          `xml:"MsgId,omitempty"`
}

func cdata(s string) *message.CDATA { c := message.CDATA(s); return &c }

func (s *Simulator) pushXML(openid string, m SimMessage, t time.Time, id int64) ([]byte, error) {
	p := simPush{
		ToUserName:   message.CDATA(s.account()),
		FromUserName: message.CDATA(openid),
		CreateTime:   t.Unix(),
		MsgType:      message.CDATA(m.Type),
		MsgID:        id,
	}
	switch m.Type {
	case MsgText:
		p.Content = cdata(m.Content)
	case MsgImage:
		p.PicURL, p.MediaID = cdata(m.PicURL), cdata(m.MediaID)
	case MsgVoice:
		format := m.Format
		if format == "" {
			format = "amr"
		}
		p.MediaID, p.Format = cdata(m.MediaID), cdata(format)
		if m.Recognition != "" {
			p.Recognition = cdata(m.Recognition)
		}
	case MsgVideo, MsgShortVideo:
		p.MediaID, p.ThumbMediaID = cdata(m.MediaID), cdata(m.MediaID+"_thumb")
	case MsgEvent:
		p.Event = cdata(m.Event)
		if m.EventKey != "" || m.Event == "CLICK" {
			p.EventKey = cdata(m.EventKey)
		}
		p.MsgID = 0
	default:
		return nil, fmt.Errorf("simulator: unknown message type %q", m.Type)
	}
	out, err := xml.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("simulator: marshal push: %w", err)
	}
	return out, nil
}

// readReply checks and opens the bot's answer the way WeChat does.
func (s *Simulator) readReply(body []byte) (*SimReply, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || string(trimmed) == "success" {
		return &SimReply{}, nil
	}
	raw := trimmed
	if s.EncodingAESKey != "" {
		var env message.ResponseEncryptedXMLMsg
		if err := xml.Unmarshal(trimmed, &env); err != nil {
			return nil, fmt.Errorf("simulator: reply envelope: %w", err)
		}
		ts := strconv.FormatInt(env.Timestamp, 10)
		if env.MsgSignature != util.Signature(s.Token, ts, env.Nonce, env.EncryptedMsg) {
			return nil, errors.New("simulator: reply msg_signature does not match")
		}
		_, plain, err := util.DecryptMsg(s.AppID, env.EncryptedMsg, s.EncodingAESKey)
		if err != nil {
			return nil, fmt.Errorf("simulator: decrypt reply: %w", err)
		}
		raw = plain
	}
	w, err := decodeWire(raw)
	if err != nil {
		return nil, fmt.Errorf("simulator: reply: %w", err)
	}
	// A passive reply carries no MsgId, so it is read with a stand-in.
	if w.MsgID == "" {
		w.MsgID = "0"
	}
	m, err := w.message()
	if err != nil {
		return nil, fmt.Errorf("simulator: reply: %w", err)
	}
	m.MsgID = ""
	r := &SimReply{Passive: m}
	switch m.MsgType {
	case MsgText:
		r.Text = m.Content
	case MsgTransfer:
		r.Transfer, r.KfAccount = true, w.KfAccount
	default:
		return nil, fmt.Errorf("simulator: unexpected reply type %q", m.MsgType)
	}
	return r, nil
}

// UploadMedia uploads an image to WeChat's API at apiBase and returns its
// media id, for a SimMessage of type image. With an access token it uses
// /cgi-bin/media/upload as a real account would; without one it uses the
// sandbox's dev-only /sandbox/media, so the chat tool needs no secret.
func UploadMedia(ctx context.Context, hc *http.Client, apiBase, accessToken string, data []byte, filename string) (string, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	u := strings.TrimSuffix(apiBase, "/") + "/sandbox/media?type=image"
	if accessToken != "" {
		u = strings.TrimSuffix(apiBase, "/") + "/cgi-bin/media/upload?" +
			url.Values{"access_token": {accessToken}, "type": {"image"}}.Encode()
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="media"; filename=%q`, filename))
	h.Set("Content-Type", http.DetectContentType(data))
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", fmt.Errorf("upload media: %w", err)
	}
	if _, err := part.Write(data); err != nil {
		return "", fmt.Errorf("upload media: %w", err)
	}
	if err := mw.Close(); err != nil {
		return "", fmt.Errorf("upload media: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, &body)
	if err != nil {
		return "", redact(fmt.Errorf("upload media: %w", err))
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := hc.Do(req)
	if err != nil {
		return "", redact(fmt.Errorf("upload media: %w", err))
	}
	defer resp.Body.Close()
	var res struct {
		util.CommonError
		MediaID string `json:"media_id"`
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBytes))
	if err != nil {
		return "", fmt.Errorf("upload media: read: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("upload media: HTTP %d", resp.StatusCode)
	}
	if err := util.DecodeWithError(b, &res, "MediaUpload"); err != nil {
		return "", fmt.Errorf("upload media: %w", err)
	}
	if res.MediaID == "" {
		return "", errors.New("upload media: no media_id in answer")
	}
	return res.MediaID, nil
}

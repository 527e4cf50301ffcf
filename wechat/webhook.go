package wechat

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"github.com/refundbot/refundbot"
)

// Sentinel causes of Parse and Verify failures; the returned error is a
// *refundbot.Error (EUNAUTHORIZED or EINVALID) wrapping one of them.
var (
	ErrBadSignature   = errors.New("wechat: bad signature")
	ErrStaleTimestamp = errors.New("wechat: timestamp too far from now")
	ErrMalformed      = errors.New("wechat: malformed message")
)

// MaxSkew is how far a push's timestamp may be from now. WeChat signs only
// token, timestamp and nonce, so the timestamp bounds how long a captured
// signature can be replayed; the library never checks it.
const MaxSkew = 5 * time.Minute

// MaxBodyBytes bounds what Parse reads even when the caller set no limit.
const MaxBodyBytes = 256 << 10

// Webhook verifies and parses pushes to the official account's server URL
// and writes passive replies. Safe mode (AES) is on when the config has an
// EncodingAESKey.
type Webhook struct {
	appID  string
	token  string
	aesKey string
	// Now is the clock; tests move it.
	Now func() time.Time
}

// NewWebhook returns a Webhook for the account. It returns EINVALID when
// the token is empty or the AES key is not WeChat's 43-character form.
func NewWebhook(cfg Config) (*Webhook, error) {
	if cfg.Token == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "wechat: token is required")
	}
	if cfg.EncodingAESKey != "" {
		if err := checkAESKey(cfg.EncodingAESKey); err != nil {
			return nil, err
		}
		if cfg.AppID == "" {
			return nil, refundbot.Errorf(refundbot.EINVALID, "wechat: safe mode needs the app id")
		}
	}
	return &Webhook{appID: cfg.AppID, token: cfg.Token, aesKey: cfg.EncodingAESKey, Now: time.Now}, nil
}

func checkAESKey(k string) error {
	if len(k) != 43 {
		return refundbot.Errorf(refundbot.EINVALID, "wechat: EncodingAESKey must have 43 characters, has %d", len(k))
	}
	if b, err := base64.StdEncoding.DecodeString(k + "="); err != nil || len(b) != 32 {
		return refundbot.Errorf(refundbot.EINVALID, "wechat: EncodingAESKey is not base64 of 32 bytes")
	}
	return nil
}

// SafeMode reports whether pushes and replies are AES-encrypted.
func (w *Webhook) SafeMode() bool { return w.aesKey != "" }

// Verify answers WeChat's URL verification (GET with echostr): the echostr
// back on a good signature, 401 otherwise.
func (w *Webhook) Verify(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := w.checkQuery(q.Get("signature"), q.Get("timestamp"), q.Get("nonce")); err != nil {
		http.Error(rw, refundbot.ErrorMessage(err), http.StatusUnauthorized)
		return
	}
	echo := q.Get("echostr")
	if echo == "" {
		http.Error(rw, "missing echostr", http.StatusBadRequest)
		return
	}
	// echostr is reflected, so it must never be read as HTML.
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = io.WriteString(rw, echo)
}

// Parse verifies a POSTed push and returns its message. It refuses a bad
// signature (or msg_signature in safe mode) and a timestamp more than
// MaxSkew from now with EUNAUTHORIZED, and anything it cannot decrypt or
// read with EINVALID; it writes nothing, so the caller answers 401 or 400.
func (w *Webhook) Parse(r *http.Request) (*Message, error) {
	q := r.URL.Query()
	timestamp, nonce := q.Get("timestamp"), q.Get("nonce")
	if err := w.checkQuery(q.Get("signature"), timestamp, nonce); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, malformed(fmt.Errorf("read body: %w", err))
	}
	if len(body) > MaxBodyBytes {
		return nil, malformed(fmt.Errorf("body over %d bytes", MaxBodyBytes))
	}
	aes := q.Get("encrypt_type") == "aes"
	switch {
	case w.SafeMode() && !aes:
		// Safe (and compatible) mode always pushes encrypt_type=aes; a
		// plaintext push here was not made by WeChat for this account.
		return nil, malformed(errors.New("plaintext push in safe mode"))
	case !w.SafeMode() && aes:
		return nil, malformed(errors.New("encrypted push without an EncodingAESKey"))
	case aes:
		body, err = w.decrypt(body, timestamp, nonce, q.Get("msg_signature"))
		if err != nil {
			return nil, err
		}
	}
	wm, err := decodeWire(body)
	if err != nil {
		return nil, malformed(err)
	}
	m, err := wm.message()
	if err != nil {
		return nil, malformed(err)
	}
	return m, nil
}

// checkQuery checks the query signature, then the timestamp.
func (w *Webhook) checkQuery(signature, timestamp, nonce string) error {
	if signature == "" || timestamp == "" || !equal(signature, util.Signature(w.token, timestamp, nonce)) {
		return badSignature()
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return badSignature()
	}
	if d := w.Now().Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return &refundbot.Error{Code: refundbot.EUNAUTHORIZED, Message: "stale timestamp", Err: ErrStaleTimestamp}
	}
	return nil
}

// decrypt checks msg_signature over the envelope and opens it with the
// library's AES code, which also checks the app id inside.
func (w *Webhook) decrypt(body []byte, timestamp, nonce, msgSignature string) ([]byte, error) {
	var env message.EncryptedXMLMsg
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, malformed(fmt.Errorf("decode envelope: %w", err))
	}
	if env.EncryptedMsg == "" {
		return nil, malformed(errors.New("envelope without Encrypt"))
	}
	if msgSignature == "" || !equal(msgSignature, util.Signature(w.token, timestamp, nonce, env.EncryptedMsg)) {
		return nil, badSignature()
	}
	_, plain, err := util.DecryptMsg(w.appID, env.EncryptedMsg, w.aesKey)
	if err != nil {
		return nil, malformed(fmt.Errorf("decrypt: %w", err))
	}
	return plain, nil
}

// Reply is the passive reply to one push.
type Reply struct {
	Text string
	// Transfer hands the conversation to WeChat's customer service,
	// to KfAccount when set.
	Transfer  bool
	KfAccount string
}

// WriteReply writes the passive reply to m: a text message, or
// transfer_customer_service, encrypted in safe mode. An empty reply writes
// "success" so WeChat neither retries nor tells the buyer the account is
// broken.
func (w *Webhook) WriteReply(rw http.ResponseWriter, r *http.Request, m *Message, reply Reply) error {
	var msg any
	common := message.CommonToken{
		ToUserName:   message.CDATA(m.FromUser),
		FromUserName: message.CDATA(m.ToUser),
		CreateTime:   w.Now().Unix(),
	}
	switch {
	case reply.Transfer:
		common.MsgType = message.MsgTypeTransfer
		t := message.NewTransferCustomer(reply.KfAccount)
		t.CommonToken = common
		msg = t
	case reply.Text != "":
		common.MsgType = message.MsgTypeText
		t := message.NewText(reply.Text)
		t.CommonToken = common
		msg = t
	default:
		w.WriteSuccess(rw)
		return nil
	}
	raw, err := xml.Marshal(msg)
	if err != nil {
		return fmt.Errorf("wechat: marshal reply: %w", err)
	}
	if w.SafeMode() {
		raw, err = w.seal(raw, r.URL.Query().Get("nonce"))
		if err != nil {
			return err
		}
	}
	rw.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, err = rw.Write(raw)
	return err
}

// seal encrypts a reply and wraps it in the signed envelope WeChat expects.
func (w *Webhook) seal(raw []byte, nonce string) ([]byte, error) {
	random := make([]byte, 16)
	if _, err := rand.Read(random); err != nil {
		return nil, fmt.Errorf("wechat: random: %w", err)
	}
	if nonce == "" {
		nonce = newNonce()
	}
	enc, err := util.EncryptMsg(random, raw, w.appID, w.aesKey)
	if err != nil {
		return nil, fmt.Errorf("wechat: encrypt reply: %w", err)
	}
	ts := w.Now().Unix()
	env := message.ResponseEncryptedXMLMsg{
		EncryptedMsg: string(enc),
		MsgSignature: util.Signature(w.token, strconv.FormatInt(ts, 10), nonce, string(enc)),
		Timestamp:    ts,
		Nonce:        nonce,
	}
	out, err := xml.Marshal(env)
	if err != nil {
		return nil, fmt.Errorf("wechat: marshal envelope: %w", err)
	}
	return out, nil
}

// WriteSuccess acknowledges a push without a passive reply. It is plain
// "success" in safe mode too: the library would encrypt an empty string
// there, which WeChat does not need.
func (w *Webhook) WriteSuccess(rw http.ResponseWriter) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(rw, "success")
}

func badSignature() error {
	return &refundbot.Error{Code: refundbot.EUNAUTHORIZED, Message: "bad signature", Err: ErrBadSignature}
}

func malformed(err error) error {
	return &refundbot.Error{Code: refundbot.EINVALID, Message: "malformed message", Err: fmt.Errorf("%w: %w", ErrMalformed, err)}
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// newNonce returns ten random digits, the shape of WeChat's nonces.
func newNonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%010d", binary.BigEndian.Uint64(b)%1e10)
}

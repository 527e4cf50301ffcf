package platform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
)

// Headers of a platform event (platform-api.md, "Events").
const (
	HeaderTimestamp = "X-Platform-Timestamp"
	HeaderSignature = "X-Platform-Signature"
)

// EventRefundUpdated is the type of the event a platform sends when a
// refund changes on its side.
const EventRefundUpdated = "refund.updated"

// DefaultMaxSkew is how far an event's timestamp may be from now before
// VerifyEvent refuses it: the contract's five minutes.
const DefaultMaxSkew = 5 * time.Minute

// Event is what a platform POSTs to the bot's /webhooks/platform.
type Event struct {
	EventID   string           `json:"event_id"`
	Type      string           `json:"type"`
	CreatedAt time.Time        `json:"created_at"`
	Refund    refundbot.Refund `json:"refund"`
}

// SignEvent returns the X-Platform-Signature value for body sent with the
// X-Platform-Timestamp ts: "sha256=" and the hex HMAC-SHA256 of
// "<unix seconds>.<body>" keyed with secret.
func SignEvent(secret string, ts time.Time, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, strconv.FormatInt(ts.Unix(), 10), body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// VerifyEvent checks an event's headers against its raw body. It returns
// an EUNAUTHORIZED *refundbot.Error when the secret is empty (events are
// refused until one is configured), the timestamp is malformed or more than
// maxSkew from now (DefaultMaxSkew when maxSkew <= 0), or the signature does
// not match. The MAC is over the timestamp header exactly as sent, so a
// sender's formatting cannot make a valid signature fail.
func VerifyEvent(secret, tsHeader, sigHeader string, body []byte, now time.Time, maxSkew time.Duration) error {
	if secret == "" {
		return refundbot.Errorf(refundbot.EUNAUTHORIZED, "platform events refused: no webhook secret configured")
	}
	if maxSkew <= 0 {
		maxSkew = DefaultMaxSkew
	}
	ts, err := parseTimestamp(tsHeader)
	if err != nil {
		return err
	}
	if d := now.Sub(time.Unix(ts, 0)); d > maxSkew || d < -maxSkew {
		return refundbot.Errorf(refundbot.EUNAUTHORIZED, "event timestamp %d is more than %s from now", ts, maxSkew)
	}
	hexSig, ok := strings.CutPrefix(strings.TrimSpace(sigHeader), "sha256=")
	if !ok {
		return refundbot.Errorf(refundbot.EUNAUTHORIZED, "event signature: want sha256=<hex>")
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return refundbot.Errorf(refundbot.EUNAUTHORIZED, "event signature: malformed hex")
	}
	if !hmac.Equal(got, mac(secret, tsHeader, body)) {
		return refundbot.Errorf(refundbot.EUNAUTHORIZED, "event signature does not match")
	}
	return nil
}

// parseTimestamp accepts only decimal unix seconds: no sign, no spaces, no
// more digits than any plausible time needs.
func parseTimestamp(s string) (int64, error) {
	if s == "" || len(s) > 12 {
		return 0, refundbot.Errorf(refundbot.EUNAUTHORIZED, "event timestamp: want unix seconds")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, refundbot.Errorf(refundbot.EUNAUTHORIZED, "event timestamp: want unix seconds")
		}
	}
	ts, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &refundbot.Error{Code: refundbot.EUNAUTHORIZED, Message: "event timestamp: want unix seconds", Err: err}
	}
	return ts, nil
}

// ParseEvent decodes a verified event body. Unknown fields are ignored so a
// platform can add some; an event without an id, a type or a refund id is
// EINVALID, since the bot can neither deduplicate nor act on it.
func ParseEvent(body []byte) (*Event, error) {
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, &refundbot.Error{Code: refundbot.EINVALID, Message: "platform event: malformed JSON", Err: err}
	}
	switch {
	case ev.EventID == "":
		return nil, refundbot.Errorf(refundbot.EINVALID, "platform event: no event_id")
	case ev.Type == "":
		return nil, refundbot.Errorf(refundbot.EINVALID, "platform event %s: no type", clip(ev.EventID))
	case ev.Type == EventRefundUpdated && ev.Refund.RefundID == "":
		return nil, refundbot.Errorf(refundbot.EINVALID, "platform event %s: no refund", clip(ev.EventID))
	}
	return &ev, nil
}

// Package sessions keeps the bot's conversational state between messages:
// sessions, per-buyer locks, dedupe keys, handoffs and transcripts, in
// process memory (Memory*, the default) or in Redis (Redis*, shared by
// every instance). It stores what it is given and must not interpret it:
// no conversation rules, no WeChat or platform calls.
//
// Correctness comes from versioned writes (Put is compare-and-set on
// Session.Version), not from the lock: Lock only keeps one buyer's messages
// from being handled at the same time, so a lost or expired lock costs a
// retried turn, never a lost update.
package sessions

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"github.com/refundbot/refundbot"
)

// Defaults used when the corresponding field is zero.
const (
	DefaultIdleTTL       = 7 * 24 * time.Hour  // a session untouched this long is forgotten
	DefaultLockTTL       = 30 * time.Second    // Redis lock lifetime if its holder dies
	DefaultTranscriptMax = 200                 // lines kept per buyer
	DefaultTranscriptTTL = 30 * 24 * time.Hour // a transcript untouched this long is forgotten
)

// pruneInterval is how often the memory stores sweep expired entries, so
// they stay bounded by live entries without a background goroutine.
const pruneInterval = time.Minute

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// newIdle is the session of a buyer the store knows nothing about.
func newIdle(buyer refundbot.BuyerID) refundbot.Session {
	return refundbot.Session{Buyer: buyer, State: refundbot.StateIdle}
}

// nextVersion is s as it is stored by a successful Put, JSON-encoded. Both
// mechanisms store JSON so that a session read back from memory is exactly
// what Redis would give (no shared slices, no monotonic clock readings).
func nextVersion(s refundbot.Session) (refundbot.Session, []byte, error) {
	s.Version++
	s.UpdatedAt = time.Now().UTC()
	data, err := json.Marshal(s)
	if err != nil {
		return refundbot.Session{}, nil, fmt.Errorf("encode session: %w", err)
	}
	var stored refundbot.Session
	if err := json.Unmarshal(data, &stored); err != nil {
		return refundbot.Session{}, nil, fmt.Errorf("decode session: %w", err)
	}
	return stored, data, nil
}

func decodeSession(data []byte) (refundbot.Session, error) {
	var s refundbot.Session
	if err := json.Unmarshal(data, &s); err != nil {
		return refundbot.Session{}, fmt.Errorf("decode stored session: %w", err)
	}
	return s, nil
}

func validatePut(s refundbot.Session) error {
	if s.Buyer == "" {
		return refundbot.Errorf(refundbot.EINVALID, "session has no buyer")
	}
	if s.Version < 0 {
		return refundbot.Errorf(refundbot.EINVALID, "session version %d is negative", s.Version)
	}
	return nil
}

func conflict(buyer refundbot.BuyerID, version int64) error {
	return refundbot.Errorf(refundbot.ECONFLICT,
		"session of %s changed since version %d was read", buyer.Masked(), version)
}

func lockTimeout(buyer refundbot.BuyerID, err error) error {
	return &refundbot.Error{
		Code:    refundbot.EUNAVAILABLE,
		Message: fmt.Sprintf("gave up waiting for the lock of %s", buyer.Masked()),
		Err:     err,
	}
}

func validateClaim(key string, ttl time.Duration) error {
	if key == "" {
		return refundbot.Errorf(refundbot.EINVALID, "empty dedupe key")
	}
	if ttl <= 0 {
		// A key kept forever would make the store grow without bound.
		return refundbot.Errorf(refundbot.EINVALID, "dedupe ttl %v is not positive", ttl)
	}
	return nil
}

// newHandoffID returns "h_" and 16 random base32 characters: unguessable,
// so knowing one handoff's id tells nothing about another's.
func newHandoffID() string {
	return "h_" + rand.Text()[:16]
}

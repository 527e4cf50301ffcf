package sessions

import (
	"context"
	"sync"
	"time"

	"github.com/refundbot/refundbot"
)

// Memory keeps sessions, locks and dedupe keys in this process. It is for a
// single instance: a restart forgets everything. The zero value is ready to
// use.
type Memory struct {
	// IdleTTL is how long a session lives after its last Put;
	// DefaultIdleTTL when zero.
	IdleTTL time.Duration

	mu        sync.Mutex
	sessions  map[refundbot.BuyerID]memEntry
	claims    map[string]time.Time // key -> expiry
	locks     map[refundbot.BuyerID]*memLock
	nextPrune time.Time
}

type memEntry struct {
	data    []byte
	version int64
	expires time.Time
}

// memLock is one buyer's lock: a one-slot channel, so waiting can be
// abandoned when ctx ends. Blocked senders on a Go channel are woken in
// arrival order, which gives the buyer's messages FIFO order. refs counts
// holders and waiters so the entry is dropped when nobody needs it.
type memLock struct {
	ch   chan struct{}
	refs int
}

var (
	_ refundbot.SessionStore = (*Memory)(nil)
	_ refundbot.Deduper      = (*Memory)(nil)
)

// Get returns the buyer's session, or a new idle one with Version 0.
func (m *Memory) Get(ctx context.Context, buyer refundbot.BuyerID) (refundbot.Session, error) {
	if err := ctx.Err(); err != nil {
		return refundbot.Session{}, err
	}
	m.mu.Lock()
	e, ok := m.sessions[buyer]
	m.mu.Unlock()
	if !ok || !time.Now().Before(e.expires) {
		return newIdle(buyer), nil
	}
	return decodeSession(e.data)
}

// Put stores s if the stored version equals s.Version, and returns it with
// the next version and UpdatedAt set. A stale version gives ECONFLICT.
func (m *Memory) Put(ctx context.Context, s refundbot.Session) (refundbot.Session, error) {
	if err := ctx.Err(); err != nil {
		return refundbot.Session{}, err
	}
	if err := validatePut(s); err != nil {
		return refundbot.Session{}, err
	}
	stored, data, err := nextVersion(s)
	if err != nil {
		return refundbot.Session{}, err
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pruneLocked(now)
	var current int64
	if e, ok := m.sessions[s.Buyer]; ok && now.Before(e.expires) {
		current = e.version
	}
	if current != s.Version {
		return refundbot.Session{}, conflict(s.Buyer, s.Version)
	}
	if m.sessions == nil {
		m.sessions = make(map[refundbot.BuyerID]memEntry)
	}
	m.sessions[s.Buyer] = memEntry{data: data, version: stored.Version, expires: now.Add(orDefault(m.IdleTTL, DefaultIdleTTL))}
	return stored, nil
}

// Delete forgets the buyer's session.
func (m *Memory) Delete(ctx context.Context, buyer refundbot.BuyerID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	delete(m.sessions, buyer)
	m.mu.Unlock()
	return nil
}

// Lock waits until the buyer's lock is free or ctx ends (EUNAVAILABLE
// wrapping ctx.Err()). Waiters get the lock in the order they asked. The
// returned unlock may be called more than once.
func (m *Memory) Lock(ctx context.Context, buyer refundbot.BuyerID) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, lockTimeout(buyer, err)
	}
	m.mu.Lock()
	if m.locks == nil {
		m.locks = make(map[refundbot.BuyerID]*memLock)
	}
	l := m.locks[buyer]
	if l == nil {
		l = &memLock{ch: make(chan struct{}, 1)}
		m.locks[buyer] = l
	}
	l.refs++
	m.mu.Unlock()

	select {
	case l.ch <- struct{}{}:
		var once sync.Once
		return func() {
			once.Do(func() {
				<-l.ch
				m.dropLock(buyer, l)
			})
		}, nil
	case <-ctx.Done():
		m.dropLock(buyer, l)
		return nil, lockTimeout(buyer, ctx.Err())
	}
}

func (m *Memory) dropLock(buyer refundbot.BuyerID, l *memLock) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l.refs--
	if l.refs == 0 {
		delete(m.locks, buyer)
	}
}

// Claim records key for ttl and reports whether this caller is the first
// to claim it within that time.
func (m *Memory) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := validateClaim(key, ttl); err != nil {
		return false, err
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pruneLocked(now)
	if exp, ok := m.claims[key]; ok && now.Before(exp) {
		return false, nil
	}
	if m.claims == nil {
		m.claims = make(map[string]time.Time)
	}
	m.claims[key] = now.Add(ttl)
	return true, nil
}

// Forget drops a claim, so work that failed before it was recorded is
// accepted again when redelivered.
func (m *Memory) Forget(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.claims, key)
	return nil
}

// pruneLocked drops expired sessions and claims at most once per
// pruneInterval, keeping memory proportional to live entries.
func (m *Memory) pruneLocked(now time.Time) {
	if now.Before(m.nextPrune) {
		return
	}
	m.nextPrune = now.Add(pruneInterval)
	for k, e := range m.sessions {
		if !now.Before(e.expires) {
			delete(m.sessions, k)
		}
	}
	for k, exp := range m.claims {
		if !now.Before(exp) {
			delete(m.claims, k)
		}
	}
}

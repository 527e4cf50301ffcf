package classify

import (
	"sync"
	"time"
)

// breaker stops calling a failing model for a while so that every buyer
// message does not wait out the full time budget during an outage. After
// failures consecutive failures it opens for cooldown; then one trial call
// is let through (half-open): success closes it, failure opens it again.
type breaker struct {
	mu        sync.Mutex
	failures  int // threshold
	cooldown  time.Duration
	now       func() time.Time
	run       int // consecutive failures
	openUntil time.Time
	trial     bool // a half-open trial call is in flight
}

// allow reports whether a call may go to the model now.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.run < b.failures {
		return true
	}
	if b.now().Before(b.openUntil) || b.trial {
		return false
	}
	b.trial = true
	return true
}

// done records the outcome of an allowed call.
func (b *breaker) done(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
	if ok {
		b.run = 0
		return
	}
	b.run++
	if b.run >= b.failures {
		b.openUntil = b.now().Add(b.cooldown)
	}
}

// open reports whether calls are being skipped.
func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.run >= b.failures && b.now().Before(b.openUntil)
}

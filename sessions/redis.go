package sessions

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
)

// Redis keeps sessions, locks and dedupe keys in Redis, shared by every
// instance of the service. Keys are Prefix + "session:" + buyer,
// "lock:" + buyer and "dedupe:" + key. Create it with NewRedis; set the
// fields before first use.
type Redis struct {
	// IdleTTL is how long a session lives after its last Put;
	// DefaultIdleTTL when zero.
	IdleTTL time.Duration
	// LockTTL bounds how long a dead instance can hold a buyer's lock; a
	// live holder renews it every LockTTL/3. DefaultLockTTL when zero.
	LockTTL time.Duration
	// Logger receives lock renewal and release failures; nil discards.
	Logger *slog.Logger

	c      *redis.Client
	prefix string
}

var (
	_ refundbot.SessionStore = (*Redis)(nil)
	_ refundbot.Deduper      = (*Redis)(nil)
)

// NewRedis returns a store using c, with every key starting with prefix
// (such as "refundbot:"). The caller owns c and closes it.
func NewRedis(c *redis.Client, prefix string) *Redis {
	return &Redis{c: c, prefix: prefix}
}

// Ping reports whether Redis answers, for readiness checks.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.c.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// A session is a hash of the encoded session ("s") and its version ("v"),
// so the compare-and-set below compares a plain field instead of decoding
// JSON inside Redis.
//
// KEYS[1] session; ARGV: expected version, new version, JSON, ttl ms.
var putScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`)

// Get returns the buyer's session, or a new idle one with Version 0.
func (r *Redis) Get(ctx context.Context, buyer refundbot.BuyerID) (refundbot.Session, error) {
	data, err := r.c.HGet(ctx, r.sessionKey(buyer), "s").Bytes()
	if errors.Is(err, redis.Nil) {
		return newIdle(buyer), nil
	}
	if err != nil {
		return refundbot.Session{}, unavailable("get session", err)
	}
	return decodeSession(data)
}

// Put stores s if the stored version equals s.Version, and returns it with
// the next version and UpdatedAt set. A stale version gives ECONFLICT.
// Every Put restarts the session's idle TTL.
func (r *Redis) Put(ctx context.Context, s refundbot.Session) (refundbot.Session, error) {
	if err := validatePut(s); err != nil {
		return refundbot.Session{}, err
	}
	stored, data, err := nextVersion(s)
	if err != nil {
		return refundbot.Session{}, err
	}
	ttl := orDefault(r.IdleTTL, DefaultIdleTTL)
	ok, err := putScript.Run(ctx, r.c, []string{r.sessionKey(s.Buyer)},
		strconv.FormatInt(s.Version, 10), strconv.FormatInt(stored.Version, 10), data, ttl.Milliseconds()).Int()
	if err != nil {
		return refundbot.Session{}, unavailable("put session", err)
	}
	if ok == 0 {
		return refundbot.Session{}, conflict(s.Buyer, s.Version)
	}
	return stored, nil
}

// Delete forgets the buyer's session.
func (r *Redis) Delete(ctx context.Context, buyer refundbot.BuyerID) error {
	if err := r.c.Del(ctx, r.sessionKey(buyer)).Err(); err != nil {
		return unavailable("delete session", err)
	}
	return nil
}

// KEYS[1] lock; ARGV[1] token. Only the holder may release or renew, so an
// instance whose lock expired cannot release the next holder's.
var (
	unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)
	renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)
)

// Lock takes the buyer's lock across all instances, retrying with jittered
// backoff (1 ms growing to 50 ms) until it is free or ctx ends
// (EUNAVAILABLE wrapping ctx.Err()). Order among waiters is best effort,
// not FIFO: whoever retries first after a release wins. The short backoff
// cap keeps a waiting message from being overtaken for long, and messages
// of one buyer rarely arrive closer together than a turn takes.
//
// While held, the lock is renewed every LockTTL/3; if the instance dies it
// expires after LockTTL. The returned unlock may be called more than once.
func (r *Redis) Lock(ctx context.Context, buyer refundbot.BuyerID) (func(), error) {
	key := r.prefix + "lock:" + string(buyer)
	token := crand.Text()
	ttl := orDefault(r.LockTTL, DefaultLockTTL)
	backoff := time.Millisecond
	for {
		ok, err := r.c.SetNX(ctx, key, token, ttl).Result()
		if err != nil {
			if ctx.Err() != nil {
				return nil, lockTimeout(buyer, ctx.Err())
			}
			return nil, unavailable("lock", err)
		}
		if ok {
			break
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return nil, lockTimeout(buyer, ctx.Err())
		case <-time.After(wait):
		}
		backoff = min(2*backoff, 50*time.Millisecond)
	}

	stop := make(chan struct{})
	renewed := make(chan struct{})
	go r.renew(key, token, ttl, stop, renewed)
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			<-renewed
			// The caller's ctx may already be over; releasing must still
			// happen, or the next message waits out the TTL.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if err := unlockScript.Run(rctx, r.c, []string{key}, token).Err(); err != nil {
				r.logger().Warn("release buyer lock", "buyer", buyer.Masked(), "err", err)
			}
		})
	}, nil
}

// renew keeps the lock alive until stop is closed or the lock is lost.
func (r *Redis) renew(key, token string, ttl time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(max(ttl/3, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), ttl/3)
		n, err := renewScript.Run(ctx, r.c, []string{key}, token, ttl.Milliseconds()).Int()
		cancel()
		switch {
		case err != nil:
			// Keep trying: the lock is still ours until its TTL ends.
			r.logger().Warn("renew buyer lock", "err", err)
		case n == 0:
			// Another instance holds it now; Put's version check keeps
			// both from losing each other's writes.
			r.logger().Warn("buyer lock lost before release")
			return
		}
	}
}

// Claim records key for ttl and reports whether this caller is the first
// to claim it within that time, across all instances.
func (r *Redis) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := validateClaim(key, ttl); err != nil {
		return false, err
	}
	first, err := r.c.SetNX(ctx, r.prefix+"dedupe:"+key, 1, ttl).Result()
	if err != nil {
		return false, unavailable("claim", err)
	}
	return first, nil
}

// Forget drops a claim, so work that failed before it was recorded is
// accepted again when redelivered.
func (r *Redis) Forget(ctx context.Context, key string) error {
	if err := r.c.Del(ctx, r.prefix+"dedupe:"+key).Err(); err != nil {
		return unavailable("forget", err)
	}
	return nil
}

func (r *Redis) sessionKey(buyer refundbot.BuyerID) string {
	return r.prefix + "session:" + string(buyer)
}

func (r *Redis) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

// unavailable marks a Redis failure so callers can tell "try again later"
// from a bug.
func unavailable(op string, err error) error {
	return &refundbot.Error{
		Code:    refundbot.EUNAVAILABLE,
		Message: "state store unavailable",
		Err:     fmt.Errorf("redis %s: %w", op, err),
	}
}

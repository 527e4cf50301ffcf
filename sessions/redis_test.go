package sessions_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/internal/redistest"
	"github.com/refundbot/refundbot/sessions"
)

func newClient(t testing.TB, url string) *redis.Client {
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("ParseURL(%q): %v", url, err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

// TestRedis runs the conformance suite against one redis-server, each
// subtest under its own key prefix so they cannot see each other's keys.
func TestRedis(t *testing.T) {
	c := newClient(t, redistest.URL(t))
	testStores(t, func(t *testing.T, cfg storeConfig) storeSet {
		prefix := "test:" + t.Name() + ":"
		s := sessions.NewRedis(c, prefix)
		s.IdleTTL = cfg.idleTTL
		tr := sessions.NewRedisTranscripts(c, prefix)
		tr.Max = cfg.transcriptMax
		return storeSet{sessions: s, dedupe: s, handoffs: sessions.NewRedisHandoffs(c, prefix), transcripts: tr, followups: sessions.NewRedisFollowUps(c, prefix)}
	})
}

// TestRedisSurvivesRestart stores state through one set of stores and
// reads it through another on a new connection, as a restarted instance
// would.
func TestRedisSurvivesRestart(t *testing.T) {
	ctx := ctxT(t)
	url := redistest.URL(t)

	before := newClient(t, url)
	s := sessions.NewRedis(before, "refundbot:")
	cur, _ := s.Get(ctx, "buyer-1")
	cur.State, cur.Draft.OrderID = refundbot.StateConfirming, "o1"
	stored, err := s.Put(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	h, err := sessions.NewRedisHandoffs(before, "refundbot:").Create(ctx, refundbot.Handoff{Buyer: "buyer-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sessions.NewRedisTranscripts(before, "refundbot:").Append(ctx, "buyer-1", refundbot.TranscriptLine{From: refundbot.FromBuyer, Text: "退款"}); err != nil {
		t.Fatal(err)
	}
	if first, err := s.Claim(ctx, "msg:1", time.Hour); err != nil || !first {
		t.Fatalf("Claim = %v, %v", first, err)
	}
	before.Close()

	after := newClient(t, url)
	s2 := sessions.NewRedis(after, "refundbot:")
	got, err := s2.Get(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	if !sameSession(got, stored) {
		t.Errorf("after restart Get = %+v, want %+v", got, stored)
	}
	if _, err := sessions.NewRedisHandoffs(after, "refundbot:").Get(ctx, h.ID); err != nil {
		t.Errorf("handoff lost across restart: %v", err)
	}
	if lines, err := sessions.NewRedisTranscripts(after, "refundbot:").Lines(ctx, "buyer-1", 0); err != nil || len(lines) != 1 || lines[0].Text != "退款" {
		t.Errorf("transcript after restart = %v, %v", lines, err)
	}
	if first, err := s2.Claim(ctx, "msg:1", time.Hour); err != nil || first {
		t.Errorf("Claim after restart = %v, %v; want false", first, err)
	}
	// A different prefix is a different service sharing the database.
	if other, _ := sessions.NewRedis(after, "other:").Get(ctx, "buyer-1"); other.Version != 0 {
		t.Errorf("prefix other: sees refundbot:'s session %+v", other)
	}
}

// TestRedisLockAcrossInstances checks the lock where it matters: two
// instances with their own connections.
func TestRedisLockAcrossInstances(t *testing.T) {
	ctx := ctxT(t)
	url := redistest.URL(t)
	a := sessions.NewRedis(newClient(t, url), "refundbot:")
	b := sessions.NewRedis(newClient(t, url), "refundbot:")

	unlock, err := a.Lock(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(short, "buyer-1"); err == nil {
		t.Fatal("instance b took the lock instance a holds")
	}
	acquired := make(chan func())
	go func() {
		u, err := b.Lock(ctx, "buyer-1")
		if err != nil {
			t.Error(err)
			close(acquired)
			return
		}
		acquired <- u
	}()
	time.Sleep(20 * time.Millisecond)
	unlock()
	select {
	case u, ok := <-acquired:
		if ok {
			u()
		}
	case <-time.After(2 * time.Second):
		t.Fatal("instance b did not get the lock after a released it")
	}
}

// TestRedisLockRenewedWhileHeld holds a lock for several LockTTLs: the
// renewal must keep others out, and releasing must let them in at once.
func TestRedisLockRenewedWhileHeld(t *testing.T) {
	ctx := ctxT(t)
	url := redistest.URL(t)
	a := sessions.NewRedis(newClient(t, url), "refundbot:")
	a.LockTTL = 150 * time.Millisecond
	b := sessions.NewRedis(newClient(t, url), "refundbot:")

	unlock, err := a.Lock(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(short, "buyer-1"); err == nil {
		t.Fatal("lock expired while its holder was alive")
	}
	unlock()
	short2, cancel2 := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel2()
	u, err := b.Lock(short2, "buyer-1")
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	u()
}

// TestRedisLockOfDeadInstanceExpires leaves a lock as a crashed instance
// would (no renewal, no release): it must free itself after its TTL.
func TestRedisLockOfDeadInstanceExpires(t *testing.T) {
	ctx := ctxT(t)
	c := newClient(t, redistest.URL(t))
	if err := c.Set(ctx, "refundbot:lock:buyer-1", "dead-instance-token", 200*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	s := sessions.NewRedis(c, "refundbot:")
	start := time.Now()
	wait, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	unlock, err := s.Lock(wait, "buyer-1")
	if err != nil {
		t.Fatalf("lock of a dead instance never expired: %v", err)
	}
	unlock()
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("took the dead instance's lock after %v, before its TTL", waited)
	}
	if got, _ := c.Exists(ctx, "refundbot:lock:buyer-1").Result(); got != 0 {
		t.Error("unlock left the lock key behind")
	}
}

// TestRedisUnavailable checks that a Redis that does not answer gives
// EUNAVAILABLE, which callers turn into "try again later".
func TestRedisUnavailable(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	s := sessions.NewRedis(c, "refundbot:")
	h := sessions.NewRedisHandoffs(c, "refundbot:")
	tr := sessions.NewRedisTranscripts(c, "refundbot:")
	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"ping", func(ctx context.Context) error { return s.Ping(ctx) }},
		{"get", func(ctx context.Context) error { _, err := s.Get(ctx, "b"); return err }},
		{"put", func(ctx context.Context) error { _, err := s.Put(ctx, refundbot.Session{Buyer: "b"}); return err }},
		{"delete", func(ctx context.Context) error { return s.Delete(ctx, "b") }},
		{"lock", func(ctx context.Context) error { _, err := s.Lock(ctx, "b"); return err }},
		{"claim", func(ctx context.Context) error { _, err := s.Claim(ctx, "k", time.Minute); return err }},
		{"handoff create", func(ctx context.Context) error { _, err := h.Create(ctx, refundbot.Handoff{Buyer: "b"}); return err }},
		{"handoff list", func(ctx context.Context) error { _, err := h.List(ctx, ""); return err }},
		{"transcript append", func(ctx context.Context) error { return tr.Append(ctx, "b", refundbot.TranscriptLine{Text: "x"}) }},
		{"transcript lines", func(ctx context.Context) error { _, err := tr.Lines(ctx, "b", 0); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each call spends ~0.4 s in go-redis's dial retries
			wantCode(t, tt.call(ctxT(t)), refundbot.EUNAVAILABLE)
		})
	}
}

package wechat

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot/internal/redistest"
)

func newRedis(t *testing.T) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func TestRedisCache(t *testing.T) {
	rdb := newRedis(t)
	c := NewRedisCache(rdb, "rb:wx:")
	if c.Get("k") != nil || c.IsExist("k") {
		t.Fatal("empty cache has k")
	}
	if err := c.Set("k", "v1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := c.Get("k"); got != "v1" || !c.IsExist("k") {
		t.Errorf("Get = %#v", got)
	}
	// The prefix is applied, and the TTL is set.
	ttl, err := rdb.TTL(context.Background(), "rb:wx:k").Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Errorf("TTL = %v, %v", ttl, err)
	}
	if err := c.Delete("k"); err != nil || c.IsExist("k") || c.Get("k") != nil {
		t.Errorf("after Delete: %v, exists %v", err, c.IsExist("k"))
	}
	// A lifetime the library computed as negative stores nothing.
	if err := c.Set("short", "x", -time.Second); err != nil || c.IsExist("short") {
		t.Errorf("negative timeout: %v, stored %v", err, c.IsExist("short"))
	}
	// Redis down: Get misses rather than failing, so the library refetches.
	_ = rdb.Close()
	if c.Get("k") != nil || c.IsExist("k") {
		t.Error("closed client still answers")
	}
	if err := c.Set("k", "v", time.Minute); err == nil {
		t.Error("Set on a closed client succeeded")
	}
}

// TestRedisCacheSharesToken: two bot processes on one Redis fetch one
// token between them, and a refresh by one is seen by the other.
func TestRedisCacheSharesToken(t *testing.T) {
	rdb := newRedis(t)
	c1, sb, srv := newSandboxClient(t, Config{Cache: NewRedisCache(rdb, "rb:wx:")})
	c2, err := NewClient(Config{AppID: testAppID, AppSecret: testSecret, APIBase: srv.URL, Cache: NewRedisCache(rdb, "rb:wx:")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []*Client{c1, c2, c1} {
		if err := c.Send(ctx, "o1", "hi"); err != nil {
			t.Fatal(err)
		}
	}
	if n := sb.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
	sb.RevokeTokens()
	if err := c2.Send(ctx, "o1", "after revoke"); err != nil {
		t.Fatal(err)
	}
	if err := c1.Send(ctx, "o1", "uses c2's new token"); err != nil {
		t.Fatal(err)
	}
	if n := sb.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
}

package redistest_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot/internal/redistest"
)

func TestURLServesEmptyDatabase(t *testing.T) {
	url := redistest.URL(t)
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("ParseURL(%q): %v", url, err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	n, err := c.DBSize(ctx).Result()
	if err != nil {
		t.Fatalf("DBSIZE: %v", err)
	}
	if n != 0 {
		t.Errorf("DBSIZE = %d, want 0", n)
	}
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	if got, err := c.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Errorf("GET = %q, %v; want \"v\"", got, err)
	}
}

func TestURLStartsSeparateServers(t *testing.T) {
	if a, b := redistest.URL(t), redistest.URL(t); a == b {
		t.Errorf("two calls returned the same URL %s", a)
	}
}

func TestServerStopsAfterTest(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) { url = redistest.URL(t) })
	if url == "" {
		t.Skip("inner test skipped")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	opt.MaxRetries = -1
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err == nil {
		t.Errorf("server at %s still answers after its test ended", url)
	}
}

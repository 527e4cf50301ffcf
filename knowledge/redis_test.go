package knowledge_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/internal/redistest"
	"github.com/refundbot/refundbot/knowledge"
)

func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(redistest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

func openRedisBase(t *testing.T, c *redis.Client, defaults []refundbot.Entry) *knowledge.Base {
	t.Helper()
	b, err := knowledge.Open(context.Background(), knowledge.Config{
		Store:    knowledge.NewRedisStore(c, "test:kb:", nil),
		Defaults: defaults,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s not within %v", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// An edit on one instance is served by every other within a second.
func TestRedisInstancesStayInStep(t *testing.T) {
	ctx := context.Background()
	c := redisClient(t)
	a := openRedisBase(t, c, sample)
	b := openRedisBase(t, c, []refundbot.Entry{{ID: "ignored", Question: "不该出现", Answer: "只有空库才用默认"}})
	if b.Version() != 1 || len(b.List()) != len(sample) {
		t.Fatalf("second instance seeded again: version %d, %d entries", b.Version(), len(b.List()))
	}

	invoice := refundbot.Entry{ID: "invoice", Question: "怎么开发票？", Similar: []string{"发票抬头怎么填"}, Answer: "在订单详情申请开票。"}
	if _, err := a.Create(ctx, invoice, "alice"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "new entry searchable on the other instance", func() bool {
		res, err := b.Search(ctx, "发票抬头怎么填写", 3)
		return err == nil && res.Best != nil && res.Best.Entry.ID == "invoice"
	})

	if _, err := b.Delete(ctx, "invoice", "bob"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "deletion seen on the first instance", func() bool {
		_, err := a.Get("invoice")
		return refundbot.ErrorCode(err) == refundbot.ENOTFOUND
	})

	hist, err := a.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || hist[0].Action != knowledge.ActionDelete || hist[0].Actor != "bob" {
		t.Errorf("shared history = %+v", hist)
	}
	if _, err := a.Rollback(ctx, 2, "alice"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "rollback seen on the other instance", func() bool {
		_, err := b.Get("invoice")
		return err == nil
	})
}

// Two instances writing at once both land: the second is rebased on the
// first instead of overwriting it.
func TestRedisConcurrentWritesDoNotLoseEdits(t *testing.T) {
	ctx := context.Background()
	c := redisClient(t)
	a := openRedisBase(t, c, sample)
	b := openRedisBase(t, c, sample)
	errs := make(chan error, 2)
	for i, base := range []*knowledge.Base{a, b} {
		go func() {
			for j := range 5 {
				e := refundbot.Entry{ID: "e-" + string(rune('a'+i)) + "-" + string(rune('0'+j)), Question: "问", Answer: "答"}
				if _, err := base.Create(ctx, e, "w"); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, time.Second, "both instances hold all 12 entries", func() bool {
		return len(a.List()) == 12 && len(b.List()) == 12
	})
}

func TestRedisUnanswered(t *testing.T) {
	ctx := context.Background()
	c := redisClient(t)
	a := openRedisBase(t, c, sample)
	b := openRedisBase(t, c, sample)
	for _, q := range []string{"怎么开发票", "怎么开发票？", "会员怎么开"} {
		if err := a.RecordUnanswered(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.RecordUnanswered(ctx, "怎么开发票!"); err != nil {
		t.Fatal(err)
	}
	got, err := b.Unanswered(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (knowledge.Unanswered{Question: "怎么开发票", Count: 3}) {
		t.Errorf("Unanswered = %+v", got)
	}
}

func TestRedisUnavailable(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer c.Close()
	_, err := knowledge.Open(context.Background(), knowledge.Config{Store: knowledge.NewRedisStore(c, "x:", nil)})
	if refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE {
		t.Errorf("Open on a dead Redis = %v, want EUNAVAILABLE", err)
	}
}

// Instances starting together on an empty Redis seed it once.
func TestRedisSeedsOnce(t *testing.T) {
	c := redisClient(t)
	bases := make(chan *knowledge.Base, 3)
	for range 3 {
		go func() {
			b, err := knowledge.Open(context.Background(), knowledge.Config{Store: knowledge.NewRedisStore(c, "test:kb:", nil), Defaults: sample})
			if err != nil {
				t.Error(err)
			}
			bases <- b
		}()
	}
	for range 3 {
		b := <-bases
		if b == nil {
			continue
		}
		defer b.Close()
		if b.Version() != 1 || len(b.List()) != len(sample) {
			t.Errorf("instance serves version %d with %d entries, want 1 and %d", b.Version(), len(b.List()), len(sample))
		}
	}
	hist, err := knowledge.NewRedisStore(c, "test:kb:", nil).History(context.Background())
	if err != nil || len(hist) != 1 {
		t.Errorf("history after concurrent start = %+v, %v", hist, err)
	}
}

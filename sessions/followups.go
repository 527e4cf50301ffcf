package sessions

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
)

var (
	_ refundbot.FollowUpStore = (*MemoryFollowUps)(nil)
	_ refundbot.FollowUpStore = (*RedisFollowUps)(nil)
)

// MemoryFollowUps keeps follow-ups in process. The zero value is usable.
type MemoryFollowUps struct {
	mu sync.Mutex
	m  map[string]refundbot.FollowUp
}

func (s *MemoryFollowUps) Watch(_ context.Context, f refundbot.FollowUp) error {
	if f.RefundID == "" {
		return refundbot.Errorf(refundbot.EINVALID, "follow-up without refund id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]refundbot.FollowUp{}
	}
	s.m[f.RefundID] = f
	return nil
}

func (s *MemoryFollowUps) Due(_ context.Context, now time.Time, limit int) ([]refundbot.FollowUp, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []refundbot.FollowUp
	for _, f := range s.m {
		if !f.NextAt.After(now) {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NextAt.Before(out[j].NextAt) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *MemoryFollowUps) Forget(_ context.Context, refundID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, refundID)
	return nil
}

// RedisFollowUps keeps follow-ups in a sorted set scored by NextAt, with
// the details in a hash, so every instance sees the same schedule.
type RedisFollowUps struct {
	c      *redis.Client
	prefix string
}

// NewRedisFollowUps stores follow-ups under prefix.
func NewRedisFollowUps(c *redis.Client, prefix string) *RedisFollowUps {
	return &RedisFollowUps{c: c, prefix: prefix}
}

func (s *RedisFollowUps) keys() (schedule, details string) {
	return s.prefix + "followups:schedule", s.prefix + "followups:details"
}

func (s *RedisFollowUps) Watch(ctx context.Context, f refundbot.FollowUp) error {
	if f.RefundID == "" {
		return refundbot.Errorf(refundbot.EINVALID, "follow-up without refund id")
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	sched, det := s.keys()
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZAdd(ctx, sched, redis.Z{Score: float64(f.NextAt.Unix()), Member: f.RefundID})
		p.HSet(ctx, det, f.RefundID, b)
		return nil
	})
	if err != nil {
		return unavailable("watch follow-up", err)
	}
	return nil
}

func (s *RedisFollowUps) Due(ctx context.Context, now time.Time, limit int) ([]refundbot.FollowUp, error) {
	sched, det := s.keys()
	if limit <= 0 {
		limit = 100
	}
	ids, err := s.c.ZRangeByScore(ctx, sched, &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(now.Unix(), 10), Count: int64(limit)}).Result()
	if err != nil {
		return nil, unavailable("due follow-ups", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	vals, err := s.c.HMGet(ctx, det, ids...).Result()
	if err != nil {
		return nil, unavailable("due follow-ups", err)
	}
	out := make([]refundbot.FollowUp, 0, len(vals))
	for _, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		var f refundbot.FollowUp
		if json.Unmarshal([]byte(str), &f) == nil {
			out = append(out, f)
		}
	}
	return out, nil
}

func (s *RedisFollowUps) Forget(ctx context.Context, refundID string) error {
	sched, det := s.keys()
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, sched, refundID)
		p.HDel(ctx, det, refundID)
		return nil
	})
	if err != nil {
		return unavailable("forget follow-up", err)
	}
	return nil
}

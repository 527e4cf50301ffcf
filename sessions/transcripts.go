package sessions

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
)

// MemoryTranscripts keeps the last Max lines of each buyer's conversation
// in this process. The zero value is ready to use.
type MemoryTranscripts struct {
	// Max is the number of lines kept per buyer; DefaultTranscriptMax when
	// zero.
	Max int
	// TTL is how long a transcript lives after its last line;
	// DefaultTranscriptTTL when zero.
	TTL time.Duration

	mu        sync.Mutex
	buyers    map[refundbot.BuyerID]*memTranscript
	nextPrune time.Time
}

type memTranscript struct {
	lines   []refundbot.TranscriptLine
	expires time.Time
}

var _ refundbot.TranscriptStore = (*MemoryTranscripts)(nil)

// Append adds a line, dropping the oldest beyond Max.
func (m *MemoryTranscripts) Append(ctx context.Context, buyer refundbot.BuyerID, line refundbot.TranscriptLine) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	keep := orDefault(m.Max, DefaultTranscriptMax)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pruneLocked(now)
	if m.buyers == nil {
		m.buyers = make(map[refundbot.BuyerID]*memTranscript)
	}
	t := m.buyers[buyer]
	if t == nil || !now.Before(t.expires) {
		t = &memTranscript{}
		m.buyers[buyer] = t
	}
	t.lines = append(t.lines, line)
	if n := len(t.lines); n > keep {
		// Copy down instead of reslicing so the dropped lines are freed.
		t.lines = append(t.lines[:0], t.lines[n-keep:]...)
	}
	t.expires = now.Add(orDefault(m.TTL, DefaultTranscriptTTL))
	return nil
}

// Lines returns up to limit most recent lines, oldest first; every kept
// line when limit <= 0.
func (m *MemoryTranscripts) Lines(ctx context.Context, buyer refundbot.BuyerID, limit int) ([]refundbot.TranscriptLine, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.buyers[buyer]
	if t == nil || !time.Now().Before(t.expires) {
		return []refundbot.TranscriptLine{}, nil
	}
	lines := t.lines
	if limit > 0 && len(lines) > limit {
		lines = lines[len(lines)-limit:]
	}
	return append([]refundbot.TranscriptLine{}, lines...), nil
}

func (m *MemoryTranscripts) pruneLocked(now time.Time) {
	if now.Before(m.nextPrune) {
		return
	}
	m.nextPrune = now.Add(pruneInterval)
	for b, t := range m.buyers {
		if !now.Before(t.expires) {
			delete(m.buyers, b)
		}
	}
}

// RedisTranscripts keeps the last Max lines of each buyer's conversation
// in a Redis list, Prefix + "transcript:" + buyer, of JSON lines.
type RedisTranscripts struct {
	// Max is the number of lines kept per buyer; DefaultTranscriptMax when
	// zero.
	Max int
	// TTL is how long a transcript lives after its last line;
	// DefaultTranscriptTTL when zero.
	TTL time.Duration

	c      *redis.Client
	prefix string
}

var _ refundbot.TranscriptStore = (*RedisTranscripts)(nil)

// NewRedisTranscripts returns a store using c, with every key starting
// with prefix. The caller owns c and closes it.
func NewRedisTranscripts(c *redis.Client, prefix string) *RedisTranscripts {
	return &RedisTranscripts{c: c, prefix: prefix}
}

// Append adds a line, dropping the oldest beyond Max.
func (r *RedisTranscripts) Append(ctx context.Context, buyer refundbot.BuyerID, line refundbot.TranscriptLine) error {
	data, err := json.Marshal(line)
	if err != nil {
		return fmt.Errorf("encode transcript line: %w", err)
	}
	key := r.key(buyer)
	keep := int64(orDefault(r.Max, DefaultTranscriptMax))
	_, err = r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, key, data)
		p.LTrim(ctx, key, -keep, -1)
		p.PExpire(ctx, key, orDefault(r.TTL, DefaultTranscriptTTL))
		return nil
	})
	if err != nil {
		return unavailable("append transcript", err)
	}
	return nil
}

// Lines returns up to limit most recent lines, oldest first; every kept
// line when limit <= 0.
func (r *RedisTranscripts) Lines(ctx context.Context, buyer refundbot.BuyerID, limit int) ([]refundbot.TranscriptLine, error) {
	start := int64(0)
	if limit > 0 {
		start = -int64(limit)
	}
	vals, err := r.c.LRange(ctx, r.key(buyer), start, -1).Result()
	if err != nil {
		return nil, unavailable("read transcript", err)
	}
	out := make([]refundbot.TranscriptLine, 0, len(vals))
	for _, v := range vals {
		var l refundbot.TranscriptLine
		if err := json.Unmarshal([]byte(v), &l); err != nil {
			return nil, fmt.Errorf("decode stored transcript line: %w", err)
		}
		out = append(out, l)
	}
	return out, nil
}

func (r *RedisTranscripts) key(buyer refundbot.BuyerID) string {
	return r.prefix + "transcript:" + string(buyer)
}

package sessions

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
)

var handoffStatuses = []refundbot.HandoffStatus{refundbot.HandoffWaiting, refundbot.HandoffActive, refundbot.HandoffClosed}

// prepareCreate fills what Create promises: a new ID, status waiting when
// empty, CreatedAt and UpdatedAt when zero.
func prepareCreate(h refundbot.Handoff) (refundbot.Handoff, error) {
	if h.Buyer == "" {
		return h, refundbot.Errorf(refundbot.EINVALID, "handoff has no buyer")
	}
	if h.Status == "" {
		h.Status = refundbot.HandoffWaiting
	}
	now := time.Now().UTC()
	if h.CreatedAt.IsZero() {
		h.CreatedAt = now
	}
	if h.UpdatedAt.IsZero() {
		h.UpdatedAt = now
	}
	h.ID = newHandoffID()
	return h, validateHandoff(h)
}

func validateHandoff(h refundbot.Handoff) error {
	if h.ID == "" {
		return refundbot.Errorf(refundbot.EINVALID, "handoff has no id")
	}
	if !slices.Contains(handoffStatuses, h.Status) {
		return refundbot.Errorf(refundbot.EINVALID, "unknown handoff status %q", h.Status)
	}
	return nil
}

func validateStatusFilter(status refundbot.HandoffStatus) error {
	if status != "" && !slices.Contains(handoffStatuses, status) {
		return refundbot.Errorf(refundbot.EINVALID, "unknown handoff status %q", status)
	}
	return nil
}

func handoffNotFound(id string) error {
	return refundbot.Errorf(refundbot.ENOTFOUND, "no handoff %q", id)
}

func decodeHandoff(data []byte) (refundbot.Handoff, error) {
	var h refundbot.Handoff
	if err := json.Unmarshal(data, &h); err != nil {
		return refundbot.Handoff{}, fmt.Errorf("decode stored handoff: %w", err)
	}
	return h, nil
}

// MemoryHandoffs keeps handoffs in this process. The zero value is ready
// to use. Handoffs are kept until the process ends.
type MemoryHandoffs struct {
	mu       sync.Mutex
	handoffs map[string]memHandoff
	seq      int64
}

// memHandoff is a handoff stored JSON-encoded, so callers never share its
// Notes slice, plus its creation order to sort equal CreatedAt times.
type memHandoff struct {
	data      []byte
	status    refundbot.HandoffStatus
	createdAt time.Time
	seq       int64
}

var _ refundbot.HandoffStore = (*MemoryHandoffs)(nil)

// Create stores a new handoff and returns it with ID set ("h_" and 16
// random characters), Status waiting when empty and the times set when zero.
func (m *MemoryHandoffs) Create(ctx context.Context, h refundbot.Handoff) (refundbot.Handoff, error) {
	if err := ctx.Err(); err != nil {
		return refundbot.Handoff{}, err
	}
	h, err := prepareCreate(h)
	if err != nil {
		return refundbot.Handoff{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.putLocked(h, 0); err != nil {
		return refundbot.Handoff{}, err
	}
	return decodeHandoff(m.handoffs[h.ID].data)
}

// Get returns ENOTFOUND for an unknown id.
func (m *MemoryHandoffs) Get(ctx context.Context, id string) (refundbot.Handoff, error) {
	if err := ctx.Err(); err != nil {
		return refundbot.Handoff{}, err
	}
	m.mu.Lock()
	e, ok := m.handoffs[id]
	m.mu.Unlock()
	if !ok {
		return refundbot.Handoff{}, handoffNotFound(id)
	}
	return decodeHandoff(e.data)
}

// List returns handoffs with the status (all when empty), newest
// CreatedAt first.
func (m *MemoryHandoffs) List(ctx context.Context, status refundbot.HandoffStatus) ([]refundbot.Handoff, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := validateStatusFilter(status); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var entries []memHandoff
	for _, e := range m.handoffs {
		if status == "" || e.status == status {
			entries = append(entries, e)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(entries, func(a, b memHandoff) int {
		if c := b.createdAt.Compare(a.createdAt); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
	out := make([]refundbot.Handoff, 0, len(entries))
	for _, e := range entries {
		h, err := decodeHandoff(e.data)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Update replaces a stored handoff as given (the caller sets UpdatedAt);
// ENOTFOUND if it does not exist.
func (m *MemoryHandoffs) Update(ctx context.Context, h refundbot.Handoff) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := validateHandoff(h); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.handoffs[h.ID]
	if !ok {
		return handoffNotFound(h.ID)
	}
	return m.putLocked(h, old.seq)
}

// putLocked stores h; seq 0 gives it the next creation number.
func (m *MemoryHandoffs) putLocked(h refundbot.Handoff, seq int64) error {
	data, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode handoff: %w", err)
	}
	if seq == 0 {
		m.seq++
		seq = m.seq
	}
	if m.handoffs == nil {
		m.handoffs = make(map[string]memHandoff)
	}
	m.handoffs[h.ID] = memHandoff{data: data, status: h.Status, createdAt: h.CreatedAt, seq: seq}
	return nil
}

// RedisHandoffs keeps handoffs in Redis: each as JSON under
// Prefix + "handoff:" + id, indexed by sorted sets of CreatedAt
// (Prefix + "handoffs:all" and Prefix + "handoffs:" + status). Handoffs
// are kept until deleted by an operator.
type RedisHandoffs struct {
	c      *redis.Client
	prefix string
}

var _ refundbot.HandoffStore = (*RedisHandoffs)(nil)

// NewRedisHandoffs returns a store using c, with every key starting with
// prefix. The caller owns c and closes it.
func NewRedisHandoffs(c *redis.Client, prefix string) *RedisHandoffs {
	return &RedisHandoffs{c: c, prefix: prefix}
}

// saveHandoffScript writes a handoff and moves it to its status index in
// one step, so List never sees it in two statuses or none.
//
// KEYS: handoff, all-index, its status index, then every status index.
// ARGV: JSON, id, score, "create" (fail if it exists) or "update" (fail
// if it does not).
var saveHandoffScript = redis.NewScript(`
local exists = redis.call('EXISTS', KEYS[1]) == 1
if (ARGV[4] == 'create') == exists then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
for i = 4, #KEYS do redis.call('ZREM', KEYS[i], ARGV[2]) end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
return 1
`)

// Create stores a new handoff and returns it with ID set ("h_" and 16
// random characters), Status waiting when empty and the times set when zero.
func (r *RedisHandoffs) Create(ctx context.Context, h refundbot.Handoff) (refundbot.Handoff, error) {
	h, err := prepareCreate(h)
	if err != nil {
		return refundbot.Handoff{}, err
	}
	ok, err := r.save(ctx, h, "create")
	if err != nil {
		return refundbot.Handoff{}, err
	}
	if !ok {
		// 80 random bits collided: not worth a retry loop.
		return refundbot.Handoff{}, refundbot.Errorf(refundbot.ECONFLICT, "handoff id %q already used", h.ID)
	}
	data, err := json.Marshal(h)
	if err != nil {
		return refundbot.Handoff{}, fmt.Errorf("encode handoff: %w", err)
	}
	return decodeHandoff(data)
}

// Get returns ENOTFOUND for an unknown id.
func (r *RedisHandoffs) Get(ctx context.Context, id string) (refundbot.Handoff, error) {
	data, err := r.c.Get(ctx, r.prefix+"handoff:"+id).Bytes()
	if errors.Is(err, redis.Nil) {
		return refundbot.Handoff{}, handoffNotFound(id)
	}
	if err != nil {
		return refundbot.Handoff{}, unavailable("get handoff", err)
	}
	return decodeHandoff(data)
}

// List returns handoffs with the status (all when empty), newest
// CreatedAt first.
func (r *RedisHandoffs) List(ctx context.Context, status refundbot.HandoffStatus) ([]refundbot.Handoff, error) {
	if err := validateStatusFilter(status); err != nil {
		return nil, err
	}
	index := r.prefix + "handoffs:all"
	if status != "" {
		index = r.prefix + "handoffs:" + string(status)
	}
	ids, err := r.c.ZRevRange(ctx, index, 0, -1).Result()
	if err != nil {
		return nil, unavailable("list handoffs", err)
	}
	out := make([]refundbot.Handoff, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = r.prefix + "handoff:" + id
	}
	vals, err := r.c.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, unavailable("list handoffs", err)
	}
	for _, v := range vals {
		s, ok := v.(string)
		if !ok {
			// Gone between the two reads; the index is written with the
			// handoff, so only a manual delete gets here.
			continue
		}
		h, err := decodeHandoff([]byte(s))
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Update replaces a stored handoff as given (the caller sets UpdatedAt);
// ENOTFOUND if it does not exist.
func (r *RedisHandoffs) Update(ctx context.Context, h refundbot.Handoff) error {
	if err := validateHandoff(h); err != nil {
		return err
	}
	ok, err := r.save(ctx, h, "update")
	if err != nil {
		return err
	}
	if !ok {
		return handoffNotFound(h.ID)
	}
	return nil
}

func (r *RedisHandoffs) save(ctx context.Context, h refundbot.Handoff, mode string) (bool, error) {
	data, err := json.Marshal(h)
	if err != nil {
		return false, fmt.Errorf("encode handoff: %w", err)
	}
	keys := []string{r.prefix + "handoff:" + h.ID, r.prefix + "handoffs:all", r.prefix + "handoffs:" + string(h.Status)}
	for _, s := range handoffStatuses {
		keys = append(keys, r.prefix+"handoffs:"+string(s))
	}
	// Microseconds since 1970 fit a float64 score exactly.
	n, err := saveHandoffScript.Run(ctx, r.c, keys, data, h.ID, h.CreatedAt.UnixMicro(), mode).Int()
	if err != nil {
		return false, unavailable("save handoff", err)
	}
	return n == 1, nil
}

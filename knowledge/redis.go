package knowledge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
)

// RedisStore keeps the knowledge base in Redis so every instance serves the
// same entries. Keys, under the prefix:
//
//	version      the current version number
//	v:<n>        JSON entries of version n (the last HistoryLimit kept)
//	history      list of JSON Version records, oldest first
//	unanswered   sorted set: normalised question → times asked
//	changed      pub/sub channel carrying the new version number
//
// A commit is one Lua script, so two operators editing at once cannot both
// build on the same version: the second is told the store moved on.
type RedisStore struct {
	rdb    *redis.Client
	prefix string
	log    *slog.Logger
	// PollInterval is how often Watch reads the version key in case a
	// pub/sub message was lost (for instance across a reconnect).
	PollInterval time.Duration
}

// NewRedisStore returns a store on rdb with keys under prefix (such as
// "refundbot:kb:"). The client is the caller's to close.
func NewRedisStore(rdb *redis.Client, prefix string, log *slog.Logger) *RedisStore {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RedisStore{rdb: rdb, prefix: prefix, log: log, PollInterval: 500 * time.Millisecond}
}

func (s *RedisStore) key(name string) string { return s.prefix + name }
func (s *RedisStore) versionKey(v int) string {
	return s.prefix + "v:" + strconv.Itoa(v)
}

// Current implements Store.
func (s *RedisStore) Current(ctx context.Context) (Snapshot, error) {
	v, err := s.currentVersion(ctx)
	if err != nil || v == 0 {
		return Snapshot{}, err
	}
	entries, err := s.Snapshot(ctx, v)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Version: v, Entries: entries}, nil
}

func (s *RedisStore) currentVersion(ctx context.Context) (int, error) {
	v, err := s.rdb.Get(ctx, s.key("version")).Int()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, unavailable("read knowledge version", err)
	}
	return v, nil
}

func unavailable(what string, err error) error {
	return &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: what + ": redis unavailable", Err: err}
}

// commitScript sets the new version only when the current one is the base
// the change was built on, then trims history and announces the change.
// KEYS: version, v:<new>, history, v:<new-HistoryLimit>. ARGV: base, new,
// entries JSON, version JSON, history limit, channel.
var commitScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur ~= tonumber(ARGV[1]) then return -1 end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[4])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[5]), -1)
redis.call('DEL', KEYS[4])
redis.call('PUBLISH', ARGV[6], ARGV[2])
return tonumber(ARGV[2])
`)

// Commit implements Store.
func (s *RedisStore) Commit(ctx context.Context, base int, entries []refundbot.Entry, v Version) error {
	eb, err := json.Marshal(entries)
	if err != nil {
		return fmt.Errorf("knowledge: encode entries: %w", err)
	}
	vb, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("knowledge: encode version: %w", err)
	}
	keys := []string{s.key("version"), s.versionKey(v.Version), s.key("history"), s.versionKey(v.Version - HistoryLimit)}
	n, err := commitScript.Run(ctx, s.rdb, keys, base, v.Version, eb, vb, HistoryLimit, s.key("changed")).Int()
	if err != nil {
		return unavailable("commit knowledge version", err)
	}
	if n < 0 {
		return fmt.Errorf("commit on version %d: %w", base, ErrStale)
	}
	return nil
}

// History implements Store.
func (s *RedisStore) History(ctx context.Context) ([]Version, error) {
	raw, err := s.rdb.LRange(ctx, s.key("history"), 0, -1).Result()
	if err != nil {
		return nil, unavailable("read knowledge history", err)
	}
	out := make([]Version, 0, len(raw))
	for i := len(raw) - 1; i >= 0; i-- {
		var v Version
		if err := json.Unmarshal([]byte(raw[i]), &v); err != nil {
			return nil, fmt.Errorf("knowledge: decode history record: %w", err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Snapshot implements Store.
func (s *RedisStore) Snapshot(ctx context.Context, version int) ([]refundbot.Entry, error) {
	b, err := s.rdb.Get(ctx, s.versionKey(version)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, refundbot.Errorf(refundbot.ENOTFOUND, "knowledge base version %d is not kept", version)
	}
	if err != nil {
		return nil, unavailable("read knowledge version", err)
	}
	var entries []refundbot.Entry
	if err := json.Unmarshal(b, &entries); err != nil {
		return nil, fmt.Errorf("knowledge: decode version %d: %w", version, err)
	}
	return entries, nil
}

// RecordUnanswered implements Store.
func (s *RedisStore) RecordUnanswered(ctx context.Context, question string) error {
	if err := s.rdb.ZIncrBy(ctx, s.key("unanswered"), 1, question).Err(); err != nil {
		return unavailable("count unanswered question", err)
	}
	return nil
}

// Unanswered implements Store.
func (s *RedisStore) Unanswered(ctx context.Context, limit int) ([]Unanswered, error) {
	stop := int64(-1)
	if limit > 0 {
		stop = int64(limit) - 1
	}
	zs, err := s.rdb.ZRevRangeWithScores(ctx, s.key("unanswered"), 0, stop).Result()
	if err != nil {
		return nil, unavailable("read unanswered questions", err)
	}
	out := make([]Unanswered, 0, len(zs))
	for _, z := range zs {
		q, _ := z.Member.(string)
		out = append(out, Unanswered{Question: q, Count: int64(z.Score)})
	}
	return out, nil
}

// Watch implements Store: it calls changed on every pub/sub message and,
// in case one was lost, whenever the polled version key moves. It keeps
// going through Redis outages (go-redis resubscribes) until ctx is done.
func (s *RedisStore) Watch(ctx context.Context, changed func()) error {
	sub := s.rdb.Subscribe(ctx, s.key("changed"))
	defer sub.Close()
	msgs := sub.Channel()
	tick := time.NewTicker(s.PollInterval)
	defer tick.Stop()
	last := -1
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-msgs:
			if !ok {
				return nil
			}
			changed()
		case <-tick.C:
			pctx, cancel := context.WithTimeout(ctx, s.PollInterval)
			v, err := s.currentVersion(pctx)
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					s.log.Warn("knowledge: poll version", "err", err)
				}
				continue
			}
			if v != last {
				last = v
				changed()
			}
		}
	}
}

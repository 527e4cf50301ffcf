package wechat

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

// RedisCache adapts a go-redis v9 client to the library's cache.Cache, so
// that every bot process shares one access token: WeChat invalidates the
// previous token a few minutes after issuing a new one, and processes
// fetching their own would keep knocking each other out. (The library's
// own cache.Redis is built on go-redis v8.)
type RedisCache struct {
	rdb    *redis.Client
	prefix string
	// Timeout bounds each command of the context-free methods the library
	// calls. Zero means one second.
	Timeout time.Duration
}

var _ cache.ContextCache = (*RedisCache)(nil)

// NewRedisCache returns a cache storing keys under prefix, such as
// "refundbot:wechat:".
func NewRedisCache(rdb *redis.Client, prefix string) *RedisCache {
	return &RedisCache{rdb: rdb, prefix: prefix}
}

func (c *RedisCache) ctx() (context.Context, context.CancelFunc) {
	d := c.Timeout
	if d <= 0 {
		d = time.Second
	}
	return context.WithTimeout(context.Background(), d)
}

// Get returns the string stored at key, or nil when it is absent or Redis
// fails: the library then fetches a token, which is the right fallback.
func (c *RedisCache) Get(key string) any {
	ctx, cancel := c.ctx()
	defer cancel()
	return c.GetContext(ctx, key)
}

// GetContext is Get with the caller's context.
func (c *RedisCache) GetContext(ctx context.Context, key string) any {
	v, err := c.rdb.Get(ctx, c.prefix+key).Result()
	if err != nil {
		return nil
	}
	return v
}

// Set stores val for timeout. A non-positive timeout stores nothing and is
// not an error: the library subtracts a margin from the token's lifetime,
// and a token that short-lived is simply used once and not kept.
func (c *RedisCache) Set(key string, val any, timeout time.Duration) error {
	ctx, cancel := c.ctx()
	defer cancel()
	return c.SetContext(ctx, key, val, timeout)
}

// SetContext is Set with the caller's context.
func (c *RedisCache) SetContext(ctx context.Context, key string, val any, timeout time.Duration) error {
	if timeout <= 0 {
		return nil
	}
	return c.rdb.Set(ctx, c.prefix+key, val, timeout).Err()
}

// IsExist reports whether key is stored.
func (c *RedisCache) IsExist(key string) bool {
	ctx, cancel := c.ctx()
	defer cancel()
	return c.IsExistContext(ctx, key)
}

// IsExistContext is IsExist with the caller's context.
func (c *RedisCache) IsExistContext(ctx context.Context, key string) bool {
	n, err := c.rdb.Exists(ctx, c.prefix+key).Result()
	return err == nil && n > 0
}

// Delete removes key.
func (c *RedisCache) Delete(key string) error {
	ctx, cancel := c.ctx()
	defer cancel()
	return c.DeleteContext(ctx, key)
}

// DeleteContext is Delete with the caller's context.
func (c *RedisCache) DeleteContext(ctx context.Context, key string) error {
	return c.rdb.Del(ctx, c.prefix+key).Err()
}

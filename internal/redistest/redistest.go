// Package redistest gives tests a Redis of their own: a fresh redis-server
// on a loopback port, stopped when the test ends. It is for tests only and
// must never be imported by production code.
package redistest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnvURL names the environment variable that points tests at an existing
// Redis instead of starting one. That database is flushed by every URL call,
// so packages sharing it must not run at the same time (go test -p 1).
const EnvURL = "REFUNDBOT_TEST_REDIS_URL"

// URL returns the URL of an empty Redis database for this test, such as
// redis://127.0.0.1:41234/0. Without EnvURL it starts a redis-server that
// the test's cleanup kills. When redis-server is not installed the test is
// skipped, or fails when the CI variable is set, so CI cannot silently pass
// without exercising Redis.
func URL(tb testing.TB) string {
	tb.Helper()
	if url := os.Getenv(EnvURL); url != "" {
		flush(tb, url)
		return url
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("redistest: redis-server not found and CI is set: %v", err)
		}
		tb.Skipf("redistest: redis-server not installed: %v", err)
	}
	// The port is found free and then handed to redis-server, so another
	// process can take it in between; a few attempts make that harmless.
	var lastErr error
	for range 3 {
		url, err := start(tb, bin)
		if err == nil {
			return url
		}
		lastErr = err
	}
	tb.Fatalf("redistest: %v", lastErr)
	return ""
}

func start(tb testing.TB, bin string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", tb.TempDir(),
	)
	var out syncBuffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start redis-server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	url := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	if err := waitReady(url, exited); err != nil {
		stop()
		return "", fmt.Errorf("redis-server on port %d: %w; output:\n%s", port, err, out.String())
	}
	tb.Cleanup(stop)
	return url, nil
}

// waitReady polls with PING until the server answers, exits or 10 s pass.
func waitReady(url string, exited <-chan error) error {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return fmt.Errorf("parse url: %w", err)
	}
	opt.MaxRetries = -1
	c := redis.NewClient(opt)
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		select {
		case werr := <-exited:
			return fmt.Errorf("exited before answering PING: %v", werr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no PING answer in 10s: %w", err)
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func flush(tb testing.TB, url string) {
	tb.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("redistest: %s: %v", EnvURL, err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.FlushDB(ctx).Err(); err != nil {
		tb.Fatalf("redistest: flush %s: %v", EnvURL, err)
	}
}

// syncBuffer collects redis-server's output, written from exec's copying
// goroutine and read on failure.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/refundbot/refundbot"
)

// maxResponseBytes caps what we read of any answer: the contract's
// largest body is a refund list, far below this.
const maxResponseBytes = 1 << 20

// maxRetryAfter is the longest Retry-After we wait for. A platform asking
// for more is treated as down for now: the buyer should not stare at a
// silent chat.
const maxRetryAfter = 2 * time.Second

// backoff is the wait before retry n (0-based); later retries reuse the
// last value. Short, because a buyer is waiting.
var backoff = []time.Duration{100 * time.Millisecond, 300 * time.Millisecond, time.Second}

// retryPolicy says which failures a request may be repeated after.
type retryPolicy int

const (
	retryNone retryPolicy = iota
	// retryAll repeats after 5xx, 429, timeouts and connection errors:
	// for reads, and for writes made safe by an Idempotency-Key.
	retryAll
	// retryUnprocessed repeats only where the platform cannot have acted:
	// 429, 503 and a refused connection.
	retryUnprocessed
)

type request struct {
	method, path   string
	query          url.Values
	body           []byte
	contentType    string
	idempotencyKey string
	retry          retryPolicy
}

// do sends req, retrying per its policy within MaxElapsed, and decodes a
// 2xx body into out. Every error it returns is a *refundbot.Error.
func (c *Client) do(ctx context.Context, req request, out any) error {
	timeout := orDefault(c.Timeout, DefaultTimeout)
	ctx, cancel := context.WithTimeout(ctx, orDefault(c.MaxElapsed, DefaultMaxElapsed))
	defer cancel()
	retries := c.MaxRetries
	switch {
	case req.retry == retryNone || retries < 0:
		retries = 0
	case retries == 0:
		retries = DefaultMaxRetries
	}

	for attempt := 0; ; attempt++ {
		status, body, header, err := c.attempt(ctx, req, timeout)
		if err == nil && status/100 == 2 {
			if err := decode(body, out); err != nil {
				return err
			}
			return nil
		}
		var perr *refundbot.Error
		retryable := false
		wait := backoff[min(attempt, len(backoff)-1)]
		if err != nil {
			perr = transportError(ctx, err)
			retryable = retryableTransport(req.retry, err) && ctx.Err() == nil
		} else {
			perr = parseError(status, body)
			retryable = retryableStatus(req.retry, status)
			if d, ok := retryAfter(header); ok && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
				if d > maxRetryAfter {
					retryable = false
				}
				wait = max(wait, d)
			}
		}
		if !retryable || attempt >= retries {
			return perr
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return perr // waiting would leave no time for the attempt
		}
		c.logger().LogAttrs(ctx, slog.LevelWarn, "platform call failed, retrying",
			slog.String("method", req.method), slog.String("path", req.path),
			slog.Int("attempt", attempt+1), slog.Int("status", status),
			slog.String("code", perr.Code), slog.Duration("wait", wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return transportError(ctx, ctx.Err())
		case <-t.C:
		}
	}
}

// attempt sends one request with its own deadline and reads the answer.
func (c *Client) attempt(ctx context.Context, req request, timeout time.Duration) (int, []byte, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := strings.TrimRight(c.BaseURL, "/") + req.path
	if len(req.query) > 0 {
		u += "?" + req.query.Encode()
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body) // fresh reader: retries resend it all
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return 0, nil, nil, err
	}
	hr.Header.Set("Accept", "application/json")
	if c.APIKey != "" {
		hr.Header.Set("Authorization", "Bearer "+c.APIKey)
	}
	if req.contentType != "" {
		hr.Header.Set("Content-Type", req.contentType)
	}
	if req.idempotencyKey != "" {
		hr.Header.Set("Idempotency-Key", req.idempotencyKey)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(hr)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return 0, nil, nil, err
	}
	if len(b) > maxResponseBytes {
		return 0, nil, nil, errTooLarge
	}
	return resp.StatusCode, b, resp.Header, nil
}

var errTooLarge = errors.New("response larger than 1 MiB")

// transportError maps a failure to get an answer to EUNAVAILABLE, keeping
// the cause (context.Canceled, DeadlineExceeded, ...) for errors.Is. The
// *url.Error wrapper is dropped: its text carries the full URL, query and
// all, which may hold a buyer's openid.
func transportError(ctx context.Context, err error) *refundbot.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := "platform unreachable"
	switch {
	case errors.Is(err, errTooLarge):
		msg = "platform answer too large"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		msg = "platform timed out"
	case ctx.Err() != nil:
		msg = "platform call abandoned"
	}
	return &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: msg, Err: err}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryableTransport: a timeout or a dropped connection may have happened
// after the platform acted, so only policies whose request is safe to
// repeat retry it. A refused connection never reached the platform.
func retryableTransport(p retryPolicy, err error) bool {
	if errors.Is(err, errTooLarge) {
		return false
	}
	switch p {
	case retryAll:
		return true
	case retryUnprocessed:
		return errors.Is(err, syscall.ECONNREFUSED)
	}
	return false
}

func retryableStatus(p retryPolicy, status int) bool {
	switch p {
	case retryAll:
		return status >= 500 || status == http.StatusTooManyRequests
	case retryUnprocessed:
		return status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests
	}
	return false
}

// retryAfter reads a Retry-After of delay-seconds or an HTTP date.
func retryAfter(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(min(n, 3600)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// decode reads a 2xx JSON body. Unknown fields are ignored (a platform may
// add some) but the body must be one JSON value of the expected shape.
func decode(body []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(out); err != nil {
		return &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: "platform: malformed response", Err: err}
	}
	if dec.More() {
		return refundbot.Errorf(refundbot.EUNAVAILABLE, "platform: malformed response: trailing data")
	}
	return nil
}

func (c *Client) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

// orDefault returns v, or def when v is not positive.
func orDefault(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

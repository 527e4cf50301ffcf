package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/refundbot/refundbot/platform"
)

// maxQueuedEvents bounds the delivery queue: a webhook that is down for
// long must not grow the sandbox's memory without end.
const maxQueuedEvents = 1000

// deliveryBackoff is the wait before each retry of one event; after the
// last, the event is given up (and logged).
var deliveryBackoff = []time.Duration{200 * time.Millisecond, time.Second, 3 * time.Second}

// deliverer sends events to the webhook one at a time, in the order they
// were emitted, so the bot never sees an older state after a newer one.
type deliverer struct {
	url, secret string
	hc          *http.Client
	log         *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	wake   chan struct{}

	mu      sync.Mutex
	queue   []platform.Event
	pending int           // queued plus in flight
	idle    chan struct{} // closed when pending drops to zero
}

func newDeliverer(url, secret string, hc *http.Client, log *slog.Logger) *deliverer {
	ctx, cancel := context.WithCancel(context.Background())
	d := &deliverer{url: url, secret: secret, hc: hc, log: log,
		ctx: ctx, cancel: cancel, done: make(chan struct{}), wake: make(chan struct{}, 1),
		idle: closedChan()}
	go d.run()
	return d
}

func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// enqueue never blocks: it is called with the sandbox's mutex held.
func (d *deliverer) enqueue(ev platform.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx.Err() != nil {
		return
	}
	if len(d.queue) >= maxQueuedEvents {
		d.log.Warn("sandbox: webhook queue full, dropping event", "event_id", ev.EventID, "refund_id", ev.Refund.RefundID)
		return
	}
	if d.pending == 0 {
		d.idle = make(chan struct{})
	}
	d.pending++
	d.queue = append(d.queue, ev)
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *deliverer) run() {
	defer close(d.done)
	for d.ctx.Err() == nil {
		d.mu.Lock()
		if len(d.queue) == 0 {
			d.mu.Unlock()
			select {
			case <-d.wake:
				continue
			case <-d.ctx.Done():
				return
			}
		}
		ev := d.queue[0]
		d.queue = d.queue[1:]
		d.mu.Unlock()

		d.deliver(ev)

		d.mu.Lock()
		d.pending--
		if d.pending == 0 {
			close(d.idle)
		}
		d.mu.Unlock()
	}
}

// deliver tries one event a few times. A 4xx other than 429 is final: the
// bot refused the event (bad secret, say) and will refuse it again.
func (d *deliverer) deliver(ev platform.Event) {
	body, err := json.Marshal(ev)
	if err != nil {
		d.log.Error("sandbox: encoding event", "event_id", ev.EventID, "err", err)
		return
	}
	for attempt := 0; ; attempt++ {
		status, err := d.post(body)
		if err == nil && status/100 == 2 {
			return
		}
		final := err == nil && status/100 == 4 && status != http.StatusTooManyRequests
		if final || attempt >= len(deliveryBackoff) || d.ctx.Err() != nil {
			d.log.Warn("sandbox: webhook delivery failed", "event_id", ev.EventID,
				"refund_id", ev.Refund.RefundID, "status", status, "err", err, "attempts", attempt+1)
			return
		}
		select {
		case <-time.After(deliveryBackoff[attempt]):
		case <-d.ctx.Done():
			return
		}
	}
}

// post sends one signed attempt. The timestamp is real time, not the
// sandbox's clock: it proves the transport fresh, while the clock only
// plays out the refund's business time.
func (d *deliverer) post(body []byte) (int, error) {
	now := time.Now()
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, d.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(platform.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(platform.HeaderSignature, platform.SignEvent(d.secret, now, body))
	resp, err := d.hc.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// wait blocks until nothing is queued or in flight, or ctx ends.
func (d *deliverer) wait(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close abandons what is queued and waits for the worker to stop.
func (d *deliverer) close() {
	d.cancel()
	<-d.done
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queue = nil
	if d.pending > 0 {
		d.pending = 0
		close(d.idle)
	}
}

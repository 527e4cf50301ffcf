// Package sandbox is an in-process merchant platform implementing
// platform-api.md, plus merchant-side actions under /sandbox/ for demos and
// tests. It keeps everything in memory and must not be used as a real shop:
// it has one API key, no persistence and no notion of tenants.
//
// Beyond the contract it decides: a reused Idempotency-Key with a different
// body is 422 idempotency_key_reused; malformed input is 422
// invalid_request; evidence over 10 MiB is 413 file_too_large. Filing
// checks, in order: the order exists and is the buyer's (else
// order_not_found), type and reason, evidence uploaded for this order, no
// open refund (refund_exists), amount (exchange 0; otherwise at most paid
// minus already refunded), order status (unpaid/closed never; before
// delivery refund_only only), refundable items, custom/virtual/fresh goods
// only with a fault reason, and the return window after delivery.
//
// Mount it on its own listener, or under a prefix with
// http.StripPrefix("/platform", sb); point platform.Client.BaseURL there.
package sandbox

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform"
)

// Defaults for Options' zero fields.
const (
	DefaultReturnWindow     = 15 * 24 * time.Hour
	DefaultAutoApproveAfter = 48 * time.Hour
)

// DefaultReturnAddress is where approved returns go unless
// Options.ReturnAddress says otherwise. It is a made-up address.
var DefaultReturnAddress = refundbot.Address{
	Name:    "小满生活馆售后部",
	Phone:   "021-55550100",
	Address: "上海市浦东新区示例路100号3号仓",
}

// Options configure a Sandbox. The zero value is an empty platform that
// accepts any caller.
type Options struct {
	// APIKey, when set, is the bearer token every request must carry.
	APIKey string
	// Now is the clock; time.Now when nil. Tests move it to reach the
	// return window and the merchant's 48-hour deadline.
	Now func() time.Time
	// Orders are loaded at start (see LoadOrdersFile).
	Orders []refundbot.Order
	// Demo adds DemoOrders(Now()) for the buyer DemoBuyer.
	Demo bool
	// ReturnWindow is how long after delivery a refund may be filed
	// (DefaultReturnWindow when zero).
	ReturnWindow time.Duration
	// AutoApproveAfter is how long the merchant may stay silent on a
	// pending refund before the platform approves it for them
	// (DefaultAutoApproveAfter when zero).
	AutoApproveAfter time.Duration
	// ReturnAddress is set on refunds approved for return
	// (DefaultReturnAddress when empty).
	ReturnAddress refundbot.Address
	// WebhookURL receives refund.updated events, signed with
	// WebhookSecret. No events are sent when it is empty.
	WebhookURL    string
	WebhookSecret string
	// HTTPClient delivers events; one with a 5-second timeout when nil.
	HTTPClient *http.Client
	// Logger receives delivery failures; slog.Default() when nil.
	Logger *slog.Logger
}

// Sandbox is the in-memory platform. It is an http.Handler and safe for
// concurrent use. Call Close to stop event delivery.
type Sandbox struct {
	opts Options
	mux  *http.ServeMux

	mu        sync.Mutex
	orders    map[string]*refundbot.Order
	refunds   map[string]*refundbot.Refund
	keys      map[string]idempotent
	evidence  map[string]evidence
	refundSeq int
	evSeq     int
	eventSeq  int

	deliveries *deliverer // nil without a WebhookURL
}

// idempotent remembers what a key filed, to answer a repeat with the same
// refund and to refuse the key's reuse for a different request.
type idempotent struct {
	fingerprint string
	refundID    string
}

type evidence struct {
	refundbot.Evidence
	orderID string
}

// New returns a Sandbox holding opts.Orders (and the demo orders if
// opts.Demo).
func New(opts Options) *Sandbox {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReturnWindow <= 0 {
		opts.ReturnWindow = DefaultReturnWindow
	}
	if opts.AutoApproveAfter <= 0 {
		opts.AutoApproveAfter = DefaultAutoApproveAfter
	}
	if opts.ReturnAddress == (refundbot.Address{}) {
		opts.ReturnAddress = DefaultReturnAddress
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Sandbox{
		opts:     opts,
		orders:   map[string]*refundbot.Order{},
		refunds:  map[string]*refundbot.Refund{},
		keys:     map[string]idempotent{},
		evidence: map[string]evidence{},
	}
	if opts.Demo {
		s.AddOrders(DemoOrders(opts.Now())...)
	}
	s.AddOrders(opts.Orders...)
	if opts.WebhookURL != "" {
		hc := opts.HTTPClient
		if hc == nil {
			hc = &http.Client{Timeout: 5 * time.Second}
		}
		s.deliveries = newDeliverer(opts.WebhookURL, opts.WebhookSecret, hc, opts.Logger)
	}
	s.routes()
	return s
}

func (s *Sandbox) routes() {
	m := http.NewServeMux()
	// The contract (platform-api.md).
	m.HandleFunc("GET /v1/orders/{order_id}", s.getOrder)
	m.HandleFunc("POST /v1/evidence", s.postEvidence)
	m.HandleFunc("POST /v1/refunds", s.postRefund)
	m.HandleFunc("GET /v1/refunds", s.listRefunds)
	m.HandleFunc("GET /v1/refunds/{refund_id}", s.getRefund)
	m.HandleFunc("POST /v1/refunds/{refund_id}/return-shipment", s.postReturnShipment)
	m.HandleFunc("POST /v1/refunds/{refund_id}/intervention", s.postIntervention)
	m.HandleFunc("POST /v1/refunds/{refund_id}/cancel", s.postCancel)
	// The merchant's side, for demos and tests; not in the contract.
	m.HandleFunc("POST /sandbox/orders", s.putOrders)
	m.HandleFunc("GET /sandbox/orders", s.allOrders)
	m.HandleFunc("GET /sandbox/refunds", s.allRefunds)
	m.HandleFunc("POST /sandbox/refunds/{refund_id}/{action}", s.merchantAction)
	s.mux = m
}

// ServeHTTP checks the API key and serves the contract's routes.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.APIKey != "" {
		got := r.Header.Get("Authorization")
		want := "Bearer " + s.opts.APIKey
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			writeError(w, http.StatusUnauthorized, platform.CodeUnauthorized, "missing or wrong API key")
			return
		}
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		writeError(w, http.StatusNotFound, "not_found", "no such route: "+r.Method+" "+r.URL.Path)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Close stops event delivery, abandoning events not yet delivered, and
// waits for the delivery goroutine to end. The handler keeps working.
func (s *Sandbox) Close() error {
	if s.deliveries != nil {
		s.deliveries.close()
	}
	return nil
}

// WaitDeliveries blocks until every event emitted so far was delivered or
// given up on, or ctx ends. Tests and the demo CLI use it.
func (s *Sandbox) WaitDeliveries(ctx context.Context) error {
	if s.deliveries == nil {
		return nil
	}
	return s.deliveries.wait(ctx)
}

// AddOrders adds orders, replacing any with the same order_id.
func (s *Sandbox) AddOrders(orders ...refundbot.Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range orders {
		o := cloneOrder(&o)
		s.orders[o.OrderID] = o
	}
}

// Orders returns every order, sorted by id.
func (s *Sandbox) Orders() []refundbot.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]refundbot.Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, *cloneOrder(o))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OrderID < out[j].OrderID })
	return out
}

// Refunds returns every refund, oldest first, after applying any automatic
// approval that is due.
func (s *Sandbox) Refunds() []refundbot.Refund {
	s.lock()
	defer s.mu.Unlock()
	return s.refundsLocked(func(*refundbot.Refund) bool { return true })
}

func (s *Sandbox) refundsLocked(match func(*refundbot.Refund) bool) []refundbot.Refund {
	out := []refundbot.Refund{}
	for _, r := range s.refunds {
		if match(r) {
			out = append(out, *cloneRefund(r))
		}
	}
	// RF%08d ids sort in filing order.
	sort.Slice(out, func(i, j int) bool { return out[i].RefundID < out[j].RefundID })
	return out
}

// lock takes the mutex and applies what the clock made due, so every
// request sees the platform as it would be had timers run (no goroutine
// timers: a moved test clock takes effect on the next request). It
// returns the time the request is served at.
func (s *Sandbox) lock() time.Time {
	s.mu.Lock()
	now := s.opts.Now()
	s.autoApproveLocked(now)
	return now
}

func cloneOrder(o *refundbot.Order) *refundbot.Order {
	c := *o
	c.Items = append([]refundbot.Item(nil), o.Items...)
	if o.PaidAt != nil {
		t := *o.PaidAt
		c.PaidAt = &t
	}
	if o.DeliveredAt != nil {
		t := *o.DeliveredAt
		c.DeliveredAt = &t
	}
	return &c
}

func cloneRefund(r *refundbot.Refund) *refundbot.Refund {
	c := *r
	c.EvidenceIDs = append([]string{}, r.EvidenceIDs...)
	if r.ReturnAddress != nil {
		a := *r.ReturnAddress
		c.ReturnAddress = &a
	}
	if r.ReturnShipment != nil {
		sh := *r.ReturnShipment
		c.ReturnShipment = &sh
	}
	return &c
}

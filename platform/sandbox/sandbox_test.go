package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform"
)

// clock is a test clock the sandbox reads through Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var start = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func newDemo(t *testing.T, opts Options) (*Sandbox, *clock) {
	t.Helper()
	c := &clock{t: start}
	opts.Now, opts.Demo = c.Now, true
	opts.Logger = slog.New(slog.DiscardHandler)
	s := New(opts)
	t.Cleanup(func() { s.Close() })
	return s, c
}

// call serves one request and decodes the answer into a generic map.
func call(t *testing.T, h http.Handler, method, path string, body any, hdr ...string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %q", method, path, rec.Body.String())
	}
	return rec.Code, out
}

func errCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func fileReq(order string, typ refundbot.RefundType, reason refundbot.Reason, amount refundbot.Fen) refundbot.RefundRequest {
	return refundbot.RefundRequest{OrderID: order, BuyerOpenID: DemoBuyer, Type: typ, Reason: reason,
		Description: "test", Amount: amount, Channel: refundbot.ChannelWeChatOA}
}

const (
	sweater = "3712000000000000001"
	mug     = "3712000000000000002"
	buds    = "3712000000000000003"
	bag     = "3712000000000000004"
	grapes  = "3712000000000000005"
	jacket  = "3712000000000000006"
)

func TestFileRefundRules(t *testing.T) {
	tests := []struct {
		name       string
		req        refundbot.RefundRequest
		wantStatus int
		wantCode   string
	}{
		{"happy return", fileReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 12900), 201, ""},
		{"no reason apparel", fileReq(sweater, refundbot.ReturnRefund, refundbot.ReasonNoReason, 12900), 201, ""},
		{"partial refund only", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 3000), 201, ""},
		{"exchange", fileReq(sweater, refundbot.Exchange, refundbot.ReasonWrongItem, 0), 201, ""},
		{"exchange with money", fileReq(sweater, refundbot.Exchange, refundbot.ReasonWrongItem, 100), 422, CodeInvalidRequest},
		{"over paid", fileReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 12901), 422, platform.CodeAmountExceedsPaid},
		{"zero amount", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonQuality, 0), 422, CodeInvalidRequest},
		{"bad type", fileReq(sweater, "swap", refundbot.ReasonQuality, 100), 422, CodeInvalidRequest},
		{"bad reason", fileReq(sweater, refundbot.RefundOnly, "meh", 100), 422, CodeInvalidRequest},
		{"unknown order", fileReq("999", refundbot.RefundOnly, refundbot.ReasonQuality, 100), 404, platform.CodeOrderNotFound},
		{"custom no reason", fileReq(mug, refundbot.ReturnRefund, refundbot.ReasonNoReason, 5900), 422, platform.CodeNotRefundable},
		{"custom price", fileReq(mug, refundbot.RefundOnly, refundbot.ReasonPrice, 100), 422, platform.CodeNotRefundable},
		{"custom fault", fileReq(mug, refundbot.ReturnRefund, refundbot.ReasonDamaged, 5900), 201, ""},
		{"fresh no reason", fileReq(grapes, refundbot.RefundOnly, refundbot.ReasonNoReason, 16800), 422, platform.CodeNotRefundable},
		{"fresh damaged", fileReq(grapes, refundbot.RefundOnly, refundbot.ReasonDamaged, 16800), 201, ""},
		{"shipped refund only", fileReq(buds, refundbot.RefundOnly, refundbot.ReasonNotReceived, 39900), 201, ""},
		{"shipped return", fileReq(buds, refundbot.ReturnRefund, refundbot.ReasonQuality, 39900), 422, platform.CodeNotRefundable},
		{"paid refund only with fee", fileReq(bag, refundbot.RefundOnly, refundbot.ReasonNoReason, 9500), 201, ""},
		{"paid exchange", fileReq(bag, refundbot.Exchange, refundbot.ReasonOther, 0), 422, platform.CodeNotRefundable},
		{"outside window", fileReq(jacket, refundbot.ReturnRefund, refundbot.ReasonQuality, 59900), 422, platform.CodeOutsideWindow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newDemo(t, Options{})
			code, body := call(t, s, "POST", "/v1/refunds", tt.req, "Idempotency-Key", "k1")
			if code != tt.wantStatus || errCode(body) != tt.wantCode {
				t.Fatalf("got %d %q (%v), want %d %q", code, errCode(body), body, tt.wantStatus, tt.wantCode)
			}
			if code == 201 && (body["refund_id"] != "RF00000001" || body["status"] != "pending_merchant") {
				t.Fatalf("refund = %v", body)
			}
		})
	}
}

func TestFileRefundOrderStates(t *testing.T) {
	for _, st := range []refundbot.OrderStatus{refundbot.OrderUnpaid, refundbot.OrderClosed} {
		s, _ := newDemo(t, Options{})
		s.AddOrders(refundbot.Order{OrderID: "x", BuyerOpenID: DemoBuyer, Status: st, PaidAmount: 100,
			Items: []refundbot.Item{{SKUID: "a", Price: 100, Quantity: 1, Refundable: true}}})
		code, body := call(t, s, "POST", "/v1/refunds", fileReq("x", refundbot.RefundOnly, refundbot.ReasonQuality, 100), "Idempotency-Key", "k")
		if code != 422 || errCode(body) != platform.CodeNotRefundable {
			t.Errorf("%s: got %d %v", st, code, body)
		}
	}
	s, _ := newDemo(t, Options{})
	s.AddOrders(refundbot.Order{OrderID: "y", BuyerOpenID: DemoBuyer, Status: refundbot.OrderDelivered, PaidAmount: 100,
		Items: []refundbot.Item{{SKUID: "gift", Price: 100, Quantity: 1, Refundable: false}}})
	if code, body := call(t, s, "POST", "/v1/refunds", fileReq("y", refundbot.RefundOnly, refundbot.ReasonQuality, 100), "Idempotency-Key", "k"); errCode(body) != platform.CodeNotRefundable {
		t.Errorf("refundable=false: got %d %v", code, body)
	}
}

func TestFileRefundOwnershipAndIdempotency(t *testing.T) {
	s, _ := newDemo(t, Options{})
	other := fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonQuality, 100)
	other.BuyerOpenID = "o_someone_else"
	if code, body := call(t, s, "POST", "/v1/refunds", other, "Idempotency-Key", "k0"); code != 404 || errCode(body) != platform.CodeOrderNotFound {
		t.Fatalf("another buyer's order: got %d %v", code, body)
	}
	if code, body := call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonQuality, 100)); code != 422 {
		t.Fatalf("no key: got %d %v", code, body)
	}

	req := fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonQuality, 100)
	if code, _ := call(t, s, "POST", "/v1/refunds", req, "Idempotency-Key", "k1"); code != 201 {
		t.Fatalf("first: %d", code)
	}
	code, body := call(t, s, "POST", "/v1/refunds", req, "Idempotency-Key", "k1")
	if code != 200 || body["refund_id"] != "RF00000001" {
		t.Fatalf("repeat: got %d %v", code, body)
	}
	req.Amount = 200
	if code, body := call(t, s, "POST", "/v1/refunds", req, "Idempotency-Key", "k1"); code != 422 || errCode(body) != CodeIdempotencyKeyReused {
		t.Fatalf("reused key: got %d %v", code, body)
	}
	code, body = call(t, s, "POST", "/v1/refunds", req, "Idempotency-Key", "k2")
	e, _ := body["error"].(map[string]any)
	if code != 409 || errCode(body) != platform.CodeRefundExists || e["refund_id"] != "RF00000001" || body["refund_id"] != "RF00000001" {
		t.Fatalf("second refund: got %d %v", code, body)
	}
	if n := len(s.Refunds()); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
	}
}

func TestAmountCountsEarlierRefunds(t *testing.T) {
	s, _ := newDemo(t, Options{})
	call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 10000), "Idempotency-Key", "a")
	call(t, s, "POST", "/sandbox/refunds/RF00000001/approve", nil)
	call(t, s, "POST", "/sandbox/refunds/RF00000001/refund", nil)
	if code, body := call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 3000), "Idempotency-Key", "b"); errCode(body) != platform.CodeAmountExceedsPaid {
		t.Fatalf("got %d %v", code, body)
	}
	if code, body := call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 2900), "Idempotency-Key", "c"); code != 201 {
		t.Fatalf("got %d %v", code, body)
	}
}

// TestStateMachine drives every action from every status: each edge of the
// machine is allowed exactly where the table says and invalid_state
// elsewhere.
func TestStateMachine(t *testing.T) {
	type edge struct {
		path string
		body any
		typ  refundbot.RefundType
	}
	ship := refundbot.Shipment{Carrier: "顺丰", TrackingNo: "SF1234567890123"}
	actions := map[string]edge{
		"shipment":   {"return-shipment", ship, refundbot.ReturnRefund},
		"intervene":  {"intervention", refundbot.Intervention{Description: "不合理", EvidenceIDs: []string{}}, refundbot.ReturnRefund},
		"cancel":     {"cancel", nil, refundbot.ReturnRefund},
		"approve":    {"approve", nil, refundbot.ReturnRefund},
		"approve-ro": {"approve", nil, refundbot.RefundOnly},
		"reject":     {"reject", map[string]string{"note": "影响二次销售"}, refundbot.ReturnRefund},
		"receive":    {"receive", nil, refundbot.ReturnRefund},
		"receive-ex": {"receive", nil, refundbot.Exchange},
		"refund":     {"refund", nil, refundbot.ReturnRefund},
		"resolve-ok": {"resolve-intervention", map[string]string{"outcome": "refund"}, refundbot.ReturnRefund},
		"resolve-no": {"resolve-intervention", map[string]string{"outcome": "reject"}, refundbot.ReturnRefund},
	}
	// allowed[action][from] = to; absent means invalid_state.
	allowed := map[string]map[refundbot.RefundStatus]refundbot.RefundStatus{
		"shipment":   {refundbot.StatusAwaitingReturn: refundbot.StatusReturnInTransit},
		"intervene":  {refundbot.StatusRejected: refundbot.StatusUnderIntervention},
		"cancel":     {refundbot.StatusPendingMerchant: refundbot.StatusCancelled, refundbot.StatusAwaitingReturn: refundbot.StatusCancelled},
		"approve":    {refundbot.StatusPendingMerchant: refundbot.StatusAwaitingReturn},
		"approve-ro": {refundbot.StatusPendingMerchant: refundbot.StatusRefunding},
		"reject":     {refundbot.StatusPendingMerchant: refundbot.StatusRejected, refundbot.StatusReturnInTransit: refundbot.StatusRejected},
		"receive":    {refundbot.StatusReturnInTransit: refundbot.StatusRefunding},
		"receive-ex": {refundbot.StatusReturnInTransit: refundbot.StatusClosed},
		"refund":     {refundbot.StatusRefunding: refundbot.StatusRefunded},
		"resolve-ok": {refundbot.StatusUnderIntervention: refundbot.StatusAwaitingReturn},
		"resolve-no": {refundbot.StatusUnderIntervention: refundbot.StatusClosed},
	}
	statuses := []refundbot.RefundStatus{refundbot.StatusPendingMerchant, refundbot.StatusAwaitingReturn,
		refundbot.StatusReturnInTransit, refundbot.StatusRefunding, refundbot.StatusRefunded, refundbot.StatusRejected,
		refundbot.StatusUnderIntervention, refundbot.StatusClosed, refundbot.StatusCancelled}
	for name, a := range actions {
		for _, from := range statuses {
			t.Run(name+"/"+string(from), func(t *testing.T) {
				s, _ := newDemo(t, Options{})
				s.refunds["RF1"] = &refundbot.Refund{RefundID: "RF1", OrderID: sweater, Type: a.typ, Status: from, CreatedAt: start}
				prefix := "/v1/refunds/"
				if _, ok := map[string]bool{"return-shipment": true, "intervention": true, "cancel": true}[a.path]; !ok {
					prefix = "/sandbox/refunds/"
				}
				code, body := call(t, s, "POST", prefix+"RF1/"+a.path, a.body)
				to, ok := allowed[name][from]
				if !ok {
					if code != 422 || errCode(body) != platform.CodeInvalidState {
						t.Fatalf("got %d %v, want 422 invalid_state", code, body)
					}
					return
				}
				if code != 200 || body["status"] != string(to) {
					t.Fatalf("got %d %v, want %s", code, body, to)
				}
				if to == refundbot.StatusAwaitingReturn && body["return_address"] == nil {
					t.Fatalf("approved for return without return_address: %v", body)
				}
				if to == refundbot.StatusRejected && body["merchant_note"] == "" {
					t.Fatalf("rejected without merchant_note: %v", body)
				}
			})
		}
	}
}

func TestUnknownRefundAndRoutes(t *testing.T) {
	s, _ := newDemo(t, Options{})
	for _, p := range []string{"/v1/refunds/RF9/cancel", "/sandbox/refunds/RF9/approve"} {
		if code, body := call(t, s, "POST", p, nil); code != 404 || errCode(body) != platform.CodeRefundNotFound {
			t.Errorf("%s: %d %v", p, code, body)
		}
	}
	if code, body := call(t, s, "GET", "/v1/refunds/RF9", nil); code != 404 || errCode(body) != platform.CodeRefundNotFound {
		t.Errorf("GET refund: %d %v", code, body)
	}
	if code, _ := call(t, s, "GET", "/nope", nil); code != 404 {
		t.Errorf("unknown route: %d", code)
	}
	if code, body := call(t, s, "POST", "/sandbox/refunds/RF9/dance", nil); code != 404 {
		t.Errorf("unknown action: %d %v", code, body)
	}
}

func TestAPIKey(t *testing.T) {
	s, _ := newDemo(t, Options{APIKey: "secret"})
	for _, hdr := range [][]string{nil, {"Authorization", "Bearer wrong"}, {"Authorization", "secret"}} {
		if code, body := call(t, s, "GET", "/v1/orders/"+sweater, nil, hdr...); code != 401 || errCode(body) != platform.CodeUnauthorized {
			t.Errorf("%v: %d %v", hdr, code, body)
		}
	}
	if code, body := call(t, s, "GET", "/v1/orders/"+sweater, nil, "Authorization", "Bearer secret"); code != 200 || body["order_id"] != sweater {
		t.Errorf("good key: %d %v", code, body)
	}
}

func TestListRefunds(t *testing.T) {
	s, _ := newDemo(t, Options{})
	s.AddOrders(refundbot.Order{OrderID: "z", BuyerOpenID: "o_other", Status: refundbot.OrderPaid, PaidAmount: 100})
	call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonQuality, 100), "Idempotency-Key", "1")
	call(t, s, "POST", "/v1/refunds", fileReq(buds, refundbot.RefundOnly, refundbot.ReasonNotReceived, 100), "Idempotency-Key", "2")
	z := fileReq("z", refundbot.RefundOnly, refundbot.ReasonOther, 100)
	z.BuyerOpenID = "o_other"
	call(t, s, "POST", "/v1/refunds", z, "Idempotency-Key", "3")
	tests := []struct {
		query string
		want  int
	}{{"", 3}, {"?buyer_openid=" + DemoBuyer, 2}, {"?buyer_openid=" + DemoBuyer + "&order_id=" + buds, 1}, {"?buyer_openid=nobody", 0}}
	for _, tt := range tests {
		_, body := call(t, s, "GET", "/v1/refunds"+tt.query, nil)
		if list, _ := body["refunds"].([]any); len(list) != tt.want {
			t.Errorf("%q: %d refunds, want %d", tt.query, len(list), tt.want)
		}
	}
}

func multipartBody(t *testing.T, orderID string, file []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if orderID != "" {
		w.WriteField("order_id", orderID)
	}
	if file != nil {
		fw, _ := w.CreateFormFile("file", "photo.png")
		fw.Write(file)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)

func TestEvidence(t *testing.T) {
	tests := []struct {
		name     string
		order    string
		file     []byte
		status   int
		code     string
		wantType string
	}{
		{"png", sweater, pngBytes, 201, "", "image/png"},
		{"jpeg", sweater, append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, 64)...), 201, "", "image/jpeg"},
		{"mp4", sweater, append([]byte("\x00\x00\x00\x18ftypmp42"), make([]byte, 64)...), 201, "", "video/mp4"},
		{"text", sweater, []byte("hello, I am not an image"), 422, CodeInvalidRequest, ""},
		{"empty", sweater, []byte{}, 422, CodeInvalidRequest, ""},
		{"no order", "", pngBytes, 422, CodeInvalidRequest, ""},
		{"unknown order", "42", pngBytes, 404, platform.CodeOrderNotFound, ""},
		{"too large", sweater, append(pngBytes, make([]byte, refundbot.MaxEvidenceBytes)...), 413, CodeFileTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newDemo(t, Options{})
			body, ct := multipartBody(t, tt.order, tt.file)
			req := httptest.NewRequest("POST", "/v1/evidence", body)
			req.Header.Set("Content-Type", ct)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			var out map[string]any
			json.Unmarshal(rec.Body.Bytes(), &out)
			if rec.Code != tt.status || errCode(out) != tt.code {
				t.Fatalf("got %d %v, want %d %s", rec.Code, out, tt.status, tt.code)
			}
			if tt.status == 201 && (out["evidence_id"] != "ev_1" || out["content_type"] != tt.wantType ||
				out["size"] != float64(len(tt.file)) || len(out["sha256"].(string)) != 64) {
				t.Fatalf("evidence = %v", out)
			}
		})
	}
}

func TestEvidenceMustBelongToOrder(t *testing.T) {
	s, _ := newDemo(t, Options{})
	body, ct := multipartBody(t, buds, pngBytes)
	req := httptest.NewRequest("POST", "/v1/evidence", body)
	req.Header.Set("Content-Type", ct)
	s.ServeHTTP(httptest.NewRecorder(), req)
	r := fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 100)
	r.EvidenceIDs = []string{"ev_1"}
	if code, out := call(t, s, "POST", "/v1/refunds", r, "Idempotency-Key", "k"); code != 422 {
		t.Fatalf("evidence of another order: %d %v", code, out)
	}
}

// webhook collects verified events.
type webhook struct {
	mu       sync.Mutex
	events   []platform.Event
	failures int // answer 500 to this many deliveries first
	bad      int
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := platform.VerifyEvent("whsec", r.Header.Get(platform.HeaderTimestamp), r.Header.Get(platform.HeaderSignature), body, time.Now(), 0); err != nil {
		h.bad++
		w.WriteHeader(401)
		return
	}
	if h.failures > 0 {
		h.failures--
		w.WriteHeader(500)
		return
	}
	ev, err := platform.ParseEvent(body)
	if err != nil {
		h.bad++
		w.WriteHeader(400)
		return
	}
	h.events = append(h.events, *ev)
}

func TestEventsSignedOrderedRetried(t *testing.T) {
	hook := &webhook{failures: 1}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	s, _ := newDemo(t, Options{WebhookURL: srv.URL, WebhookSecret: "whsec"})
	call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 12900), "Idempotency-Key", "k")
	call(t, s, "POST", "/sandbox/refunds/RF00000001/approve", nil)
	call(t, s, "POST", "/v1/refunds/RF00000001/return-shipment", refundbot.Shipment{Carrier: "顺丰", TrackingNo: "SF1"})
	call(t, s, "POST", "/sandbox/refunds/RF00000001/receive", nil)
	call(t, s, "POST", "/sandbox/refunds/RF00000001/refund", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	var got []string
	for _, ev := range hook.events {
		got = append(got, ev.EventID+":"+string(ev.Refund.Status))
	}
	want := "evt_1:approved_awaiting_return evt_2:refunding evt_3:refunded"
	if strings.Join(got, " ") != want || hook.bad != 0 {
		t.Fatalf("events %v (bad %d), want %s", got, hook.bad, want)
	}
	if hook.events[0].Type != platform.EventRefundUpdated || hook.events[0].Refund.ReturnAddress == nil {
		t.Fatalf("first event = %+v", hook.events[0])
	}
}

func TestAutoApproveAfterSilence(t *testing.T) {
	hook := &webhook{}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	s, clk := newDemo(t, Options{WebhookURL: srv.URL, WebhookSecret: "whsec"})
	call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 5000), "Idempotency-Key", "a")
	call(t, s, "POST", "/v1/refunds", fileReq(mug, refundbot.ReturnRefund, refundbot.ReasonDamaged, 5900), "Idempotency-Key", "b")

	clk.Add(47 * time.Hour)
	if _, body := call(t, s, "GET", "/v1/refunds/RF00000001", nil); body["status"] != "pending_merchant" {
		t.Fatalf("before 48h: %v", body)
	}
	clk.Add(time.Hour)
	_, body := call(t, s, "GET", "/v1/refunds/RF00000001", nil)
	if body["status"] != "refunding" || body["updated_at"] != start.Add(48*time.Hour).Format(time.RFC3339) {
		t.Fatalf("after 48h: %v", body)
	}
	if _, body := call(t, s, "GET", "/v1/refunds/RF00000002", nil); body["status"] != "approved_awaiting_return" || body["return_address"] == nil {
		t.Fatalf("return after 48h: %v", body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.WaitDeliveries(ctx)
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if len(hook.events) != 2 {
		t.Fatalf("%d events, want 2: %+v", len(hook.events), hook.events)
	}
}

func TestDeliveryGivesUpOnRefusal(t *testing.T) {
	hook := &webhook{}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	s, _ := newDemo(t, Options{WebhookURL: srv.URL, WebhookSecret: "not-the-bots-secret"})
	call(t, s, "POST", "/v1/refunds", fileReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 5000), "Idempotency-Key", "a")
	call(t, s, "POST", "/sandbox/refunds/RF00000001/approve", nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatalf("a 401 must not be retried for seconds: %v", err)
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if hook.bad != 1 || len(hook.events) != 0 {
		t.Fatalf("bad=%d events=%d, want one refused delivery", hook.bad, len(hook.events))
	}
}

func TestSandboxOrdersRoute(t *testing.T) {
	s, _ := newDemo(t, Options{})
	one := `{"order_id": "A1", "buyer_openid": "o1", "status": "delivered", "paid_amount": 100, "items": []}`
	if code, body := call(t, s, "POST", "/sandbox/orders", json.RawMessage(one)); code != 200 || body["orders"] != float64(1) {
		t.Fatalf("single: %d %v", code, body)
	}
	if code, body := call(t, s, "POST", "/sandbox/orders", json.RawMessage(`[{"order_id": "A1", "status": "nope"}]`)); code != 422 {
		t.Fatalf("bad status: %d %v", code, body)
	}
	_, body := call(t, s, "GET", "/v1/orders/A1", nil)
	if body["currency"] != "CNY" || body["buyer_openid"] != "o1" {
		t.Fatalf("order = %v", body)
	}
	if _, body := call(t, s, "GET", "/sandbox/orders", nil); len(body["orders"].([]any)) != 7 {
		t.Fatalf("orders = %v", body)
	}
}

func TestParseOrders(t *testing.T) {
	tests := []struct {
		in    string
		n     int
		valid bool
	}{
		{`[]`, 0, true},
		{`[{"order_id":"1","status":"paid"},{"order_id":"2","status":"closed"}]`, 2, true},
		{`{"orders":[{"order_id":"1","status":"paid"}]}`, 1, true},
		{`{"order_id":"1","status":"shipped"}`, 1, true},
		{`{"order_id":"","status":"paid"}`, 0, false},
		{`[{"order_id":"1","status":"lost"}]`, 0, false},
		{`[{"order_id":"1","status":"paid","paid_amount":-1}]`, 0, false},
		{`[{"order_id":"1","status":"paid","items":[{"price":-5}]}]`, 0, false},
		{`"orders"`, 0, false},
		{``, 0, false},
		{`[{]`, 0, false},
	}
	for _, tt := range tests {
		got, err := ParseOrders([]byte(tt.in))
		if (err == nil) != tt.valid || len(got) != tt.n {
			t.Errorf("ParseOrders(%s) = %d orders, %v; want %d, valid %v", tt.in, len(got), err, tt.n, tt.valid)
		}
		if err != nil && refundbot.ErrorCode(err) != refundbot.EINVALID {
			t.Errorf("ParseOrders(%s): code %s, want invalid", tt.in, refundbot.ErrorCode(err))
		}
	}
}

func TestLoadOrdersFile(t *testing.T) {
	orders, err := LoadOrdersFile("testdata/orders.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 || orders[0].OrderID != "4200000000000000001" || orders[0].DeliveredAt == nil || orders[1].DeliveredAt != nil {
		t.Fatalf("orders = %+v", orders)
	}
	if _, err := LoadOrdersFile("testdata/missing.json"); err == nil {
		t.Fatal("missing file loaded")
	}
}

func TestDemoOrdersAreValid(t *testing.T) {
	orders := DemoOrders(start)
	b, _ := json.Marshal(orders)
	parsed, err := ParseOrders(b)
	if err != nil || len(parsed) != 6 {
		t.Fatalf("demo orders do not round-trip: %d, %v", len(parsed), err)
	}
	for i, o := range orders {
		if want := fmt.Sprintf("371200000000000000%d", i+1); o.OrderID != want || o.BuyerOpenID != DemoBuyer {
			t.Errorf("order %d = %s/%s", i, o.OrderID, o.BuyerOpenID)
		}
	}
	if orders[0].PaidAmount != 12900 || !orders[0].DeliveredAt.Equal(start.Add(-72*time.Hour)) {
		t.Errorf("sweater = %+v", orders[0])
	}
}

func FuzzParseOrders(f *testing.F) {
	f.Add([]byte(`[{"order_id":"1","status":"paid","items":[{"sku_id":"a","price":1,"quantity":1}]}]`))
	f.Add([]byte(`{"orders":[]}`))
	f.Add([]byte(`{"order_id":"1","status":"delivered","delivered_at":"2026-01-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		orders, err := ParseOrders(data)
		if err != nil {
			if refundbot.ErrorCode(err) != refundbot.EINVALID {
				t.Fatalf("error %v has code %s", err, refundbot.ErrorCode(err))
			}
			return
		}
		for _, o := range orders {
			if o.OrderID == "" || o.Currency == "" || o.PaidAmount < 0 {
				t.Fatalf("accepted invalid order %+v", o)
			}
		}
	})
}

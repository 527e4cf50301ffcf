// Package platform is the bot's side of the merchant platform contract
// (platform-api.md): an HTTP client with deadlines, retries and idempotent
// filing, and the signing of platform events. It must not decide whether a
// refund is allowed or talk to buyers; callers do, using the errors it maps.
package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
)

var (
	_ refundbot.OrderService    = (*Client)(nil)
	_ refundbot.RefundService   = (*Client)(nil)
	_ refundbot.EvidenceService = (*Client)(nil)
)

// Defaults for a Client's zero fields.
const (
	DefaultTimeout    = 3 * time.Second
	DefaultMaxElapsed = 4 * time.Second
	DefaultMaxRetries = 2
)

// Client calls a merchant platform. Its zero fields take the defaults
// above, so New is a convenience; set the fields before the first call
// and do not change them afterwards. Safe for concurrent use.
type Client struct {
	// BaseURL is PLATFORM_BASE_URL, e.g. "https://shop.example.com"; a
	// path such as "/platform" is kept and the contract's paths appended.
	BaseURL string
	// APIKey is sent as a bearer token. Never logged.
	APIKey string
	// HTTPClient sends the requests; http.DefaultClient when nil. Its own
	// Timeout, if any, applies on top of ours.
	HTTPClient *http.Client
	// Timeout bounds one attempt (DefaultTimeout when zero).
	Timeout time.Duration
	// MaxElapsed bounds one call including its retries and waits
	// (DefaultMaxElapsed when zero), so a slow platform cannot hold a
	// buyer's conversation for long.
	MaxElapsed time.Duration
	// MaxRetries is how many times a failed attempt is repeated
	// (DefaultMaxRetries when zero; negative for none).
	MaxRetries int
	// Logger receives one line per retry; slog.Default() when nil.
	Logger *slog.Logger
}

// New returns a Client with the defaults.
func New(baseURL, apiKey string) *Client {
	return &Client{BaseURL: baseURL, APIKey: apiKey}
}

// FindOrder returns the order, ENOTFOUND if the platform has none.
func (c *Client) FindOrder(ctx context.Context, orderID string) (_ *refundbot.Order, err error) {
	defer wrap(&err, "platform.Client.FindOrder(%q)", orderID)
	if orderID == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "empty order id")
	}
	var o refundbot.Order
	if err := c.do(ctx, request{method: http.MethodGet, path: "/v1/orders/" + url.PathEscape(orderID), retry: retryAll}, &o); err != nil {
		return nil, err
	}
	if o.OrderID == "" {
		return nil, malformed("order without order_id")
	}
	return &o, nil
}

// FileRefund files a refund under the Idempotency-Key key. Retries after a
// timeout or a 5xx send the same key, so the platform answers with the
// refund the first attempt created instead of filing a second one.
func (c *Client) FileRefund(ctx context.Context, key string, req refundbot.RefundRequest) (_ *refundbot.Refund, err error) {
	defer wrap(&err, "platform.Client.FileRefund(%q)", key)
	if key == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "empty idempotency key")
	}
	if req.Channel == "" {
		req.Channel = refundbot.ChannelWeChatOA
	}
	if req.EvidenceIDs == nil {
		req.EvidenceIDs = []string{} // the contract shows a list, never null
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	return c.refund(ctx, request{method: http.MethodPost, path: "/v1/refunds", body: body,
		contentType: "application/json", idempotencyKey: key, retry: retryAll})
}

// FindRefund returns the refund, ENOTFOUND if the platform has none.
func (c *Client) FindRefund(ctx context.Context, refundID string) (_ *refundbot.Refund, err error) {
	defer wrap(&err, "platform.Client.FindRefund(%q)", refundID)
	if refundID == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "empty refund id")
	}
	return c.refund(ctx, request{method: http.MethodGet, path: "/v1/refunds/" + url.PathEscape(refundID), retry: retryAll})
}

// FindRefunds lists the refunds matching f.
func (c *Client) FindRefunds(ctx context.Context, f refundbot.RefundFilter) (_ []*refundbot.Refund, err error) {
	// The openid is personal data: only its masked form goes into errors.
	defer wrap(&err, "platform.Client.FindRefunds(buyer=%s, order=%q)", refundbot.BuyerID(f.BuyerOpenID).Masked(), f.OrderID)
	q := url.Values{}
	if f.BuyerOpenID != "" {
		q.Set("buyer_openid", f.BuyerOpenID)
	}
	if f.OrderID != "" {
		q.Set("order_id", f.OrderID)
	}
	var out struct {
		Refunds []*refundbot.Refund `json:"refunds"`
	}
	if err := c.do(ctx, request{method: http.MethodGet, path: "/v1/refunds", query: q, retry: retryAll}, &out); err != nil {
		return nil, err
	}
	refunds := out.Refunds[:0]
	for _, r := range out.Refunds {
		if r == nil || r.RefundID == "" {
			return nil, malformed("refund without refund_id")
		}
		refunds = append(refunds, r)
	}
	return refunds, nil
}

// SubmitReturnShipment tells the platform the buyer sent the goods back.
func (c *Client) SubmitReturnShipment(ctx context.Context, refundID string, s refundbot.Shipment) (_ *refundbot.Refund, err error) {
	defer wrap(&err, "platform.Client.SubmitReturnShipment(%q)", refundID)
	return c.refundAction(ctx, refundID, "return-shipment", s)
}

// RequestIntervention asks the platform to step in after a refusal.
func (c *Client) RequestIntervention(ctx context.Context, refundID string, in refundbot.Intervention) (_ *refundbot.Refund, err error) {
	defer wrap(&err, "platform.Client.RequestIntervention(%q)", refundID)
	if in.EvidenceIDs == nil {
		in.EvidenceIDs = []string{}
	}
	return c.refundAction(ctx, refundID, "intervention", in)
}

// CancelRefund withdraws the buyer's refund.
func (c *Client) CancelRefund(ctx context.Context, refundID string) (_ *refundbot.Refund, err error) {
	defer wrap(&err, "platform.Client.CancelRefund(%q)", refundID)
	return c.refundAction(ctx, refundID, "cancel", nil)
}

// refundAction POSTs to /v1/refunds/{id}/{action}. These requests carry no
// idempotency key and repeating one that went through would answer
// invalid_state, so they are retried only where the platform said it did
// not process them (retryUnprocessed).
func (c *Client) refundAction(ctx context.Context, refundID, action string, payload any) (*refundbot.Refund, error) {
	if refundID == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "empty refund id")
	}
	req := request{method: http.MethodPost, path: "/v1/refunds/" + url.PathEscape(refundID) + "/" + action, retry: retryUnprocessed}
	if payload != nil {
		body, err := json.Marshal(payload)
		if err != nil {
			return nil, err
		}
		req.body, req.contentType = body, "application/json"
	}
	return c.refund(ctx, req)
}

func (c *Client) refund(ctx context.Context, req request) (*refundbot.Refund, error) {
	var r refundbot.Refund
	if err := c.do(ctx, req, &r); err != nil {
		return nil, err
	}
	if r.RefundID == "" {
		return nil, malformed("refund without refund_id")
	}
	return &r, nil
}

// Evidence content types the contract accepts.
var evidenceTypes = map[string]bool{"image/jpeg": true, "image/png": true, "video/mp4": true}

// UploadEvidence uploads one photo or video for orderID. The type is
// sniffed from the bytes (a WeChat download's declared type is not to be
// trusted) and checked, with the size, before anything is sent. Retried
// like a read: a repeated upload only leaves an unused copy behind.
func (c *Client) UploadEvidence(ctx context.Context, orderID, filename, contentType string, data []byte) (_ *refundbot.Evidence, err error) {
	defer wrap(&err, "platform.Client.UploadEvidence(%q, %q)", orderID, filename)
	if orderID == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "empty order id")
	}
	if len(data) == 0 || len(data) > refundbot.MaxEvidenceBytes {
		return nil, refundbot.Errorf(refundbot.EINVALID, "evidence is %d bytes, want 1 to %d", len(data), refundbot.MaxEvidenceBytes)
	}
	sniffed := SniffEvidence(data)
	if !evidenceTypes[sniffed] {
		return nil, refundbot.Errorf(refundbot.EINVALID, "evidence type %s (declared %q) is not jpeg, png or mp4", sniffed, contentType)
	}
	if filename == "" {
		filename = "evidence" + extension(sniffed)
	}

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("order_id", orderID); err != nil {
		return nil, err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+escapeQuotes(filename)+`"`)
	h.Set("Content-Type", sniffed)
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, err
	}
	if _, err := part.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	var ev refundbot.Evidence
	if err := c.do(ctx, request{method: http.MethodPost, path: "/v1/evidence", body: buf.Bytes(),
		contentType: w.FormDataContentType(), retry: retryAll}, &ev); err != nil {
		return nil, err
	}
	if ev.EvidenceID == "" {
		return nil, malformed("evidence without evidence_id")
	}
	return &ev, nil
}

// SniffEvidence returns the content type of data as the platform judges
// it: http.DetectContentType, which knows JPEG, PNG and MP4 signatures.
func SniffEvidence(data []byte) string {
	ct, _, _ := strings.Cut(http.DetectContentType(data), ";")
	return ct
}

func extension(contentType string) string {
	switch contentType {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "video/mp4":
		return ".mp4"
	}
	return ""
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// readyProbeOrder is an order id no platform holds: a 404 for it proves the
// platform is up and accepts our key without reading real data.
const readyProbeOrder = "__readyz__"

// Ping reports whether the platform is reachable and accepts the API key,
// for /readyz. One attempt, no retries: readiness must answer quickly.
func (c *Client) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "platform.Client.Ping")
	var o refundbot.Order
	err = c.do(ctx, request{method: http.MethodGet, path: "/v1/orders/" + readyProbeOrder, retry: retryNone}, &o)
	// Only the contract's own order_not_found proves we reached a platform:
	// a bare 404 means BaseURL points at something else.
	var api *APIError
	if err == nil || errors.As(err, &api) && api.Code == CodeOrderNotFound {
		return nil
	}
	return err
}

func malformed(what string) error {
	return refundbot.Errorf(refundbot.EUNAVAILABLE, "platform: malformed response: %s", what)
}

package platform

import (
	"encoding/json"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
)

// Error codes of platform-api.md. They are fixed by the contract.
const (
	CodeUnauthorized      = "unauthorized"
	CodeOrderNotFound     = "order_not_found"
	CodeRefundNotFound    = "refund_not_found"
	CodeRefundExists      = "refund_exists"
	CodeAmountExceedsPaid = "amount_exceeds_paid"
	CodeNotRefundable     = "not_refundable"
	CodeOutsideWindow     = "outside_window"
	CodeInvalidState      = "invalid_state"
	CodeRateLimited       = "rate_limited"
	CodeUnavailable       = "unavailable"
)

// codes maps the contract's error codes to the domain's. Codes the
// contract does not name fall back to the HTTP status (statusCode).
var codes = map[string]string{
	CodeUnauthorized:      refundbot.EUNAUTHORIZED,
	CodeOrderNotFound:     refundbot.ENOTFOUND,
	CodeRefundNotFound:    refundbot.ENOTFOUND,
	CodeRefundExists:      refundbot.ECONFLICT,
	CodeAmountExceedsPaid: refundbot.EAMOUNT,
	CodeNotRefundable:     refundbot.ENOTREFUNDABLE,
	CodeOutsideWindow:     refundbot.EOUTSIDEWINDOW,
	CodeInvalidState:      refundbot.EINVALIDSTATE,
	CodeRateLimited:       refundbot.ERATELIMITED,
	CodeUnavailable:       refundbot.EUNAVAILABLE,
}

// statusCode is the domain code for a status whose body named no code we
// know, e.g. a proxy's HTML error page or an adapter's own code.
func statusCode(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return refundbot.EUNAUTHORIZED
	case status == http.StatusForbidden:
		return refundbot.EFORBIDDEN
	case status == http.StatusNotFound:
		return refundbot.ENOTFOUND
	case status == http.StatusConflict:
		return refundbot.ECONFLICT
	case status == http.StatusTooManyRequests:
		return refundbot.ERATELIMITED
	case status >= 500:
		return refundbot.EUNAVAILABLE
	case status >= 400:
		// 400, 413, 422 with a code we do not know: the request was wrong.
		return refundbot.EINVALID
	}
	// 1xx/3xx reach here only from a misbehaving server: treat it as down.
	return refundbot.EUNAVAILABLE
}

// maxMessage bounds how much of a platform's message we keep: it ends up
// in logs and API answers, and a proxy may answer with a whole HTML page.
const maxMessage = 200

// parseError turns a non-2xx answer into a *refundbot.Error. It never
// fails: a body that is not the contract's shape still yields a code from
// the status. The body is {"error": {"code", "message", "refund_id"}};
// refund_id may also sit at the top level, and some adapters send
// "error" as a plain string.
func parseError(status int, body []byte) *refundbot.Error {
	var env struct {
		Error    json.RawMessage `json:"error"`
		RefundID string          `json:"refund_id"`
		Code     string          `json:"code"`
		Message  string          `json:"message"`
	}
	var detail struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		RefundID string `json:"refund_id"`
	}
	if json.Unmarshal(body, &env) == nil {
		if json.Unmarshal(env.Error, &detail) != nil {
			var s string
			if json.Unmarshal(env.Error, &s) == nil {
				detail.Message = s
			}
		}
	}
	if detail.Code == "" {
		detail.Code = env.Code
	}
	if detail.Message == "" {
		detail.Message = env.Message
	}
	if detail.RefundID == "" {
		detail.RefundID = env.RefundID
	}

	code, ok := codes[detail.Code]
	if !ok {
		code = statusCode(status)
	}
	msg := clip(detail.Message)
	if msg == "" {
		msg = http.StatusText(status)
	}
	e := &refundbot.Error{Code: code, Message: "platform: " + msg,
		Err: &APIError{Status: status, Code: clip(detail.Code)}}
	if code == refundbot.ECONFLICT {
		e.RefundID = clip(detail.RefundID)
	}
	return e
}

// APIError is the platform's own answer behind a *refundbot.Error: the
// HTTP status and the contract's error code ("" when the body had none).
// Callers act on the refundbot code; this is for logs and for the few
// checks that need the exact platform code.
type APIError struct {
	Status int
	Code   string
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("platform answered HTTP %d", e.Status)
	}
	return fmt.Sprintf("platform answered HTTP %d %s", e.Status, e.Code)
}

// clip shortens s to maxMessage bytes without splitting a rune and drops
// invalid UTF-8, so what we log and return is always printable text.
func clip(s string) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replaces invalid bytes with U+FFFD
	}
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// wrap adds the call's name to a failed call's error, keeping the chain so
// refundbot.ErrorCode and errors.Is still see the cause (pkgsite derrors).
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

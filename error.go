package refundbot

import (
	"errors"
	"fmt"
)

// Error codes. They are persisted in logs and mapped to HTTP statuses and
// buyer-facing sentences in one place each; do not rename them.
const (
	EINVALID       = "invalid"        // bad input from a buyer or API caller
	ENOTFOUND      = "not_found"      // no such thing, or not the caller's
	ECONFLICT      = "conflict"       // stale write, duplicate, already exists
	EUNAUTHORIZED  = "unauthorized"   // missing or bad credentials
	EFORBIDDEN     = "forbidden"      // credentials fine, action not allowed
	ENOTREFUNDABLE = "not_refundable" // order or item cannot be refunded
	EOUTSIDEWINDOW = "outside_window" // after-sale window has passed
	EAMOUNT        = "amount_exceeds_paid"
	EINVALIDSTATE  = "invalid_state" // the refund's status does not allow it
	ERATELIMITED   = "rate_limited"
	EUNAVAILABLE   = "unavailable" // a dependency is down or timed out
	EINTERNAL      = "internal"
)

// Error is an error people see: an API caller as JSON, a buyer as a Chinese
// sentence chosen by Code. Message is for operators and API callers.
type Error struct {
	Code    string
	Message string
	// RefundID is set with ECONFLICT when the platform already holds a
	// refund for the order (contract code refund_exists).
	RefundID string
	// Err is the underlying cause, kept for logs and errors.Is.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or
// "Internal error." for any other error so internals never leak.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

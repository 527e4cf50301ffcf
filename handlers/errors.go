package handlers

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
)

// statusOf maps error codes to HTTP statuses; the one table for the API.
var statusOf = map[string]int{
	refundbot.EINVALID:       http.StatusUnprocessableEntity,
	refundbot.ENOTFOUND:      http.StatusNotFound,
	refundbot.ECONFLICT:      http.StatusConflict,
	refundbot.EUNAUTHORIZED:  http.StatusUnauthorized,
	refundbot.EFORBIDDEN:     http.StatusForbidden,
	refundbot.ENOTREFUNDABLE: http.StatusUnprocessableEntity,
	refundbot.EOUTSIDEWINDOW: http.StatusUnprocessableEntity,
	refundbot.EAMOUNT:        http.StatusUnprocessableEntity,
	refundbot.EINVALIDSTATE:  http.StatusUnprocessableEntity,
	refundbot.ERATELIMITED:   http.StatusTooManyRequests,
	refundbot.EUNAVAILABLE:   http.StatusServiceUnavailable,
	refundbot.EINTERNAL:      http.StatusInternalServerError,
}

// codeOfStatus names Echo's own errors (404 route, 413 body, 405) so every
// error body has a code.
var codeOfStatus = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          refundbot.EUNAUTHORIZED,
	http.StatusForbidden:             refundbot.EFORBIDDEN,
	http.StatusNotFound:              refundbot.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       refundbot.ERATELIMITED,
	http.StatusServiceUnavailable:    refundbot.EUNAVAILABLE,
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// errorHandler renders every error as {"error": {"code", "message"}} and
// logs only what is our fault.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, code, msg := http.StatusInternalServerError, refundbot.EINTERNAL, "Internal error."
		var he *echo.HTTPError
		var re *refundbot.Error
		switch {
		case errors.As(err, &re):
			code, msg = re.Code, re.Message
			if s, ok := statusOf[re.Code]; ok {
				status = s
			}
		case errors.As(err, &he):
			status = he.Code
			code = codeOfStatus[status]
			if code == "" {
				code = "error"
			}
			msg = http.StatusText(status)
			if m, ok := he.Message.(string); ok && m != "" {
				msg = m
			}
		}
		if status >= 500 {
			log.ErrorContext(c.Request().Context(), "request failed", "method", c.Request().Method,
				"path", c.Path(), "status", status, "err", err)
		}
		var body errorBody
		body.Error.Code, body.Error.Message = code, msg
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		_ = c.JSON(status, body)
	}
}

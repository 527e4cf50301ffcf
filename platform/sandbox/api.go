package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform"
)

// Codes the sandbox answers with beyond the contract's. They are 4xx
// statuses the client maps by status: 422 and 413 become EINVALID.
const (
	// CodeInvalidRequest: a malformed body or a field out of its domain.
	CodeInvalidRequest = "invalid_request"
	// CodeIdempotencyKeyReused: the Idempotency-Key was used before for a
	// different request. 422, following the IETF Idempotency-Key draft:
	// the caller has a bug, and answering with the old refund would hide it.
	CodeIdempotencyKeyReused = "idempotency_key_reused"
	// CodeFileTooLarge: evidence over refundbot.MaxEvidenceBytes (413).
	CodeFileTooLarge = "file_too_large"
)

// maxJSONBody bounds request bodies other than evidence.
const maxJSONBody = 1 << 20

// apiError is a refusal a handler returns; writeErr renders it.
type apiError struct {
	status   int
	code     string
	message  string
	refundID string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func refuse(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeErr(w, &apiError{status: status, code: code, message: message})
}

func writeErr(w http.ResponseWriter, e *apiError) {
	detail := map[string]string{"code": e.code, "message": e.message}
	body := map[string]any{"error": detail}
	if e.refundID != "" {
		// The contract puts refund_id beside the code; some clients read it
		// at the top level, so it is in both places.
		detail["refund_id"] = e.refundID
		body["refund_id"] = e.refundID
	}
	if e.status == http.StatusTooManyRequests || e.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, e.status, body)
}

// readJSON decodes a request body, tolerating unknown fields.
func readJSON(w http.ResponseWriter, r *http.Request, v any) *apiError {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "empty body")
		}
		return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "malformed JSON: %v", err)
	}
	return nil
}

// readOptionalJSON is readJSON for bodies that may be left out entirely.
func readOptionalJSON(w http.ResponseWriter, r *http.Request, v any) *apiError {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return tooLargeOr(err, "reading body")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "malformed JSON: %v", err)
	}
	return nil
}

func (s *Sandbox) getOrder(w http.ResponseWriter, r *http.Request) {
	s.lock()
	defer s.mu.Unlock()
	o, ok := s.orders[r.PathValue("order_id")]
	if !ok {
		writeError(w, http.StatusNotFound, platform.CodeOrderNotFound, "no such order")
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// evidenceTypes are the content types the contract accepts, as sniffed.
var evidenceTypes = map[string]bool{"image/jpeg": true, "image/png": true, "video/mp4": true}

func (s *Sandbox) postEvidence(w http.ResponseWriter, r *http.Request) {
	ev, err := s.uploadEvidence(w, r)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, ev)
}

func (s *Sandbox) uploadEvidence(w http.ResponseWriter, r *http.Request) (*refundbot.Evidence, *apiError) {
	// Room for the file at its limit plus the form's other parts.
	r.Body = http.MaxBytesReader(w, r.Body, refundbot.MaxEvidenceBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "want multipart/form-data: %v", err)
	}
	var orderID string
	var data []byte
	var gotFile bool
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, tooLargeOr(err, "reading form")
		}
		switch part.FormName() {
		case "order_id":
			b, err := io.ReadAll(io.LimitReader(part, 128))
			if err != nil {
				return nil, tooLargeOr(err, "reading order_id")
			}
			orderID = string(b)
		case "file":
			// Read one byte past the limit to tell "at" from "over".
			b, err := io.ReadAll(io.LimitReader(part, refundbot.MaxEvidenceBytes+1))
			if err != nil {
				return nil, tooLargeOr(err, "reading file")
			}
			data, gotFile = b, true
		}
		part.Close()
	}
	switch {
	case !gotFile || len(data) == 0:
		return nil, refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "field file is missing or empty")
	case len(data) > refundbot.MaxEvidenceBytes:
		return nil, refuse(http.StatusRequestEntityTooLarge, CodeFileTooLarge, "file is over %d bytes", refundbot.MaxEvidenceBytes)
	case orderID == "":
		return nil, refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "field order_id is missing")
	}
	// The declared part type is ignored: the bytes decide.
	ct := platform.SniffEvidence(data)
	if !evidenceTypes[ct] {
		return nil, refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "content type %s is not image/jpeg, image/png or video/mp4", ct)
	}
	sum := sha256.Sum256(data)

	s.lock()
	defer s.mu.Unlock()
	if _, ok := s.orders[orderID]; !ok {
		return nil, refuse(http.StatusNotFound, platform.CodeOrderNotFound, "no such order")
	}
	s.evSeq++
	ev := evidence{orderID: orderID, Evidence: refundbot.Evidence{
		EvidenceID:  "ev_" + strconv.Itoa(s.evSeq),
		SHA256:      hex.EncodeToString(sum[:]),
		Size:        int64(len(data)),
		ContentType: ct,
	}}
	s.evidence[ev.EvidenceID] = ev
	return &ev.Evidence, nil
}

func tooLargeOr(err error, doing string) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return refuse(http.StatusRequestEntityTooLarge, CodeFileTooLarge, "request is over %d bytes", mbe.Limit)
	}
	return refuse(http.StatusUnprocessableEntity, CodeInvalidRequest, "%s: %v", doing, err)
}

package classify

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/refundbot/refundbot"
)

//go:embed prompts/classify.txt
var systemPrompt string

// Config configures the LLM classifier. cmd/refundbot fills it from
// OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL; this package reads no
// environment.
type Config struct {
	BaseURL string // e.g. https://api.deepseek.com/v1, http://localhost:11434/v1
	APIKey  string
	Model   string
	// Timeout is the budget for one model call, leaving room inside
	// WeChat's 5-second reply window. Default 2.5s.
	Timeout time.Duration
	// CacheSize bounds the label cache (entries). Default 1024; negative
	// disables caching.
	CacheSize int
	// BreakerFailures consecutive failures open the breaker for
	// BreakerCooldown. Defaults 5 and 30s.
	BreakerFailures int
	BreakerCooldown time.Duration
	// HTTPClient is optional; its own timeout should not be shorter than
	// Timeout.
	HTTPClient *http.Client
	// Now is the breaker's clock; time.Now when nil.
	Now func() time.Time
}

// Enabled reports whether cfg names a model to call. Without one, use Rules.
func (c Config) Enabled() bool {
	return c.Model != "" && (c.APIKey != "" || c.BaseURL != "")
}

// Outcomes passed to LLM.Observe.
const (
	OutcomeLLM         = "llm"          // the model labelled the message
	OutcomeCache       = "cache"        // a cached label was used
	OutcomeBreakerOpen = "breaker_open" // the model was skipped; rules answered
	OutcomeTimeout     = "timeout"      // the budget ran out; rules answered
	OutcomeError       = "error"        // transport or HTTP error; rules answered
	OutcomeInvalid     = "invalid"      // unusable output; rules answered
)

// LLM classifies with an OpenAI-compatible chat model and falls back to
// Rules on any trouble. The model only labels (intent, reason, refund
// type, yes/no, done, angry); order numbers, amounts and tracking numbers
// always come from Rules, and an order number the model names is kept only
// if Rules found it in the text too. Safe for concurrent use.
type LLM struct {
	client  *openai.Client
	model   string
	timeout time.Duration
	rules   *Rules
	log     *slog.Logger
	breaker *breaker
	cache   *lru
	// jsonObject is set once the server rejected response_format
	// json_schema (DeepSeek, older Ollama and Qwen servers answer 400);
	// later calls ask for json_object and rely on the prompt for the shape.
	jsonObject atomic.Bool

	// Observe, when set, is called once per Classify with one of the
	// Outcome constants and the time taken (metrics).
	Observe func(outcome string, d time.Duration)
}

var _ refundbot.Classifier = (*LLM)(nil)

// New returns an LLM classifier for cfg that falls back to rules (NewRules
// when nil). It returns EINVALID when cfg names no model.
func New(cfg Config, rules *Rules, log *slog.Logger) (*LLM, error) {
	if !cfg.Enabled() {
		return nil, refundbot.Errorf(refundbot.EINVALID, "classify: LLM needs a model and a base URL or API key")
	}
	if rules == nil {
		rules = NewRules()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2500 * time.Millisecond
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = 1024
	}
	if cfg.BreakerFailures <= 0 {
		cfg.BreakerFailures = 5
	}
	if cfg.BreakerCooldown <= 0 {
		cfg.BreakerCooldown = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	}
	return &LLM{
		client:  openai.NewClientWithConfig(oc),
		model:   cfg.Model,
		timeout: cfg.Timeout,
		rules:   rules,
		log:     log,
		breaker: &breaker{failures: cfg.BreakerFailures, cooldown: cfg.BreakerCooldown, now: cfg.Now},
		cache:   newLRU(cfg.CacheSize),
	}, nil
}

// Classify implements refundbot.Classifier. It never returns an error: when
// the model is slow, down, open-circuited or answers nonsense, the rules'
// reading is returned with Source "rules".
func (l *LLM) Classify(ctx context.Context, in refundbot.ClassifyInput) (refundbot.Understanding, error) {
	start := time.Now()
	rd := read(in)
	base := l.rules.fromReading(rd)
	key := string(in.State) + "\x00" + string(in.Asking) + "\x00" + rd.norm

	if lab, ok := l.cache.get(key); ok {
		l.observe(OutcomeCache, start)
		return merge(base, lab, rd, in), nil
	}
	if !l.breaker.allow() {
		l.observe(OutcomeBreakerOpen, start)
		return base, nil
	}
	lab, err := l.ask(ctx, in)
	l.breaker.done(err == nil)
	if err != nil {
		outcome := OutcomeError
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			outcome = OutcomeTimeout
		case errors.Is(err, errInvalidOutput):
			outcome = OutcomeInvalid
		}
		// The message text is not logged: it may hold personal data.
		l.log.WarnContext(ctx, "classify: LLM failed, using rules", "outcome", outcome, "err", err,
			"state", in.State, "breaker_open", l.breaker.open())
		l.observe(outcome, start)
		return base, nil
	}
	l.cache.put(key, lab)
	l.observe(OutcomeLLM, start)
	return merge(base, lab, rd, in), nil
}

func (l *LLM) observe(outcome string, start time.Time) {
	if l.Observe != nil {
		l.Observe(outcome, time.Since(start))
	}
}

// errInvalidOutput marks model output outside the contract.
var errInvalidOutput = errors.New("invalid LLM output")

// userPayload is the user message: the buyer's text as a JSON string, so
// nothing in it can pose as part of the instructions.
type userPayload struct {
	State  refundbot.State `json:"state"`
	Asking refundbot.Slot  `json:"asking"`
	Text   string          `json:"text"`
}

// ask makes one model call within the time budget.
func (l *LLM) ask(ctx context.Context, in refundbot.ClassifyInput) (labels, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	state := in.State
	if state == "" {
		state = refundbot.StateIdle
	}
	payload, err := json.Marshal(userPayload{State: state, Asking: in.Asking, Text: in.Text})
	if err != nil {
		return labels{}, fmt.Errorf("classify: encode message: %w", err)
	}
	req := openai.ChatCompletionRequest{
		Model: l.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: systemPrompt},
			{Role: openai.ChatMessageRoleUser, Content: string(payload)},
		},
		// go-openai omits a zero temperature (omitempty), which servers
		// read as their default of about 1; the smallest float32 is
		// greedy decoding in practice.
		Temperature: math.SmallestNonzeroFloat32,
		MaxTokens:   200,
	}
	schemaMode := !l.jsonObject.Load()
	req.ResponseFormat = responseFormat(schemaMode)
	resp, err := l.client.CreateChatCompletion(ctx, req)
	if err != nil && schemaMode && httpStatus(err) == http.StatusBadRequest && ctx.Err() == nil {
		// The server does not know json_schema: remember, and retry
		// within the same budget with json_object.
		l.jsonObject.Store(true)
		l.log.InfoContext(ctx, "classify: server rejected json_schema, using json_object", "model", l.model)
		req.ResponseFormat = responseFormat(false)
		resp, err = l.client.CreateChatCompletion(ctx, req)
	}
	if err != nil {
		if ctx.Err() != nil {
			return labels{}, fmt.Errorf("classify: chat completion: %w", context.DeadlineExceeded)
		}
		return labels{}, fmt.Errorf("classify: chat completion: %w", err)
	}
	if len(resp.Choices) == 0 {
		return labels{}, fmt.Errorf("classify: no choices: %w", errInvalidOutput)
	}
	msg := resp.Choices[0].Message
	content := msg.Content
	if content == "" && len(msg.ToolCalls) > 0 {
		content = msg.ToolCalls[0].Function.Arguments
	}
	return parseLabels(content)
}

// httpStatus returns the HTTP status of a go-openai error, or 0.
func httpStatus(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// labelSchema is the JSON schema of the model's answer (strict mode: every
// key required, nothing else allowed).
var labelSchema = json.RawMessage(`{
  "type": "object",
  "additionalProperties": false,
  "required": ["intent", "reason", "refund_type", "order_id", "answer", "done", "angry", "confidence"],
  "properties": {
    "intent": {"type": "string", "enum": ["refund", "status", "faq", "human", "escalate", "logistics", "cancel", "greeting", "other"]},
    "reason": {"type": ["string", "null"], "enum": ["quality", "not_as_described", "not_received", "wrong_item", "damaged", "no_reason", "late_shipment", "service", "price", "other", null]},
    "refund_type": {"type": ["string", "null"], "enum": ["refund_only", "return_refund", "exchange", null]},
    "order_id": {"type": ["string", "null"]},
    "answer": {"type": "string", "enum": ["yes", "no", ""]},
    "done": {"type": "boolean"},
    "angry": {"type": "boolean"},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1}
  }
}`)

func responseFormat(schema bool) *openai.ChatCompletionResponseFormat {
	if !schema {
		return &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return &openai.ChatCompletionResponseFormat{
		Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
			Name:   "understanding",
			Schema: labelSchema,
			Strict: true,
		},
	}
}

// labels is what the model may decide: nothing that moves money.
type labels struct {
	Intent     refundbot.Intent
	Reason     refundbot.Reason
	RefundType refundbot.RefundType
	OrderID    string
	Answer     refundbot.Answer
	Done       bool
	Angry      bool
	Confidence float64
}

// rawLabels decodes leniently (nulls, missing keys); keys outside it, such
// as "amount" or "approve", are ignored.
type rawLabels struct {
	Intent     *string  `json:"intent"`
	Reason     *string  `json:"reason"`
	RefundType *string  `json:"refund_type"`
	OrderID    *string  `json:"order_id"`
	Answer     *string  `json:"answer"`
	Done       *bool    `json:"done"`
	Angry      *bool    `json:"angry"`
	Confidence *float64 `json:"confidence"`
}

// parseLabels reads the model's answer: one JSON object, possibly in a
// Markdown code fence. Any code outside the contract's closed sets makes
// the whole answer invalid, so a confused model never half-labels.
func parseLabels(content string) (labels, error) {
	s := strings.TrimSpace(content)
	i, j := strings.IndexByte(s, '{'), strings.LastIndexByte(s, '}')
	if i < 0 || j < i {
		return labels{}, fmt.Errorf("classify: no JSON object in output: %w", errInvalidOutput)
	}
	var raw rawLabels
	if err := json.Unmarshal([]byte(s[i:j+1]), &raw); err != nil {
		return labels{}, fmt.Errorf("classify: decode output: %v: %w", err, errInvalidOutput)
	}
	var lab labels
	if raw.Intent == nil || !refundbot.Intent(*raw.Intent).Valid() {
		return labels{}, fmt.Errorf("classify: intent %q: %w", deref(raw.Intent), errInvalidOutput)
	}
	lab.Intent = refundbot.Intent(*raw.Intent)
	if r := deref(raw.Reason); r != "" {
		if !refundbot.Reason(r).Valid() {
			return labels{}, fmt.Errorf("classify: reason %q: %w", r, errInvalidOutput)
		}
		lab.Reason = refundbot.Reason(r)
	}
	if t := deref(raw.RefundType); t != "" {
		if !refundbot.RefundType(t).Valid() {
			return labels{}, fmt.Errorf("classify: refund_type %q: %w", t, errInvalidOutput)
		}
		lab.RefundType = refundbot.RefundType(t)
	}
	switch a := refundbot.Answer(deref(raw.Answer)); a {
	case refundbot.AnswerNone, refundbot.AnswerYes, refundbot.AnswerNo:
		lab.Answer = a
	default:
		return labels{}, fmt.Errorf("classify: answer %q: %w", a, errInvalidOutput)
	}
	lab.OrderID = deref(raw.OrderID)
	lab.Done = raw.Done != nil && *raw.Done
	lab.Angry = raw.Angry != nil && *raw.Angry
	lab.Confidence = 0.8
	if raw.Confidence != nil {
		c := *raw.Confidence
		if math.IsNaN(c) || c < 0 || c > 1 {
			return labels{}, fmt.Errorf("classify: confidence %v: %w", c, errInvalidOutput)
		}
		lab.Confidence = c
	}
	return lab, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// merge puts the model's labels over the rules' reading. Facts stay the
// rules': the amount, the tracking number and the order number (the
// model's order number is taken only when the rules saw that very number
// in the text and it is no tracking number). A "yes" is never the model's
// alone: in the confirming state it files a refund.
func merge(base refundbot.Understanding, lab labels, rd *reading, in refundbot.ClassifyInput) refundbot.Understanding {
	u := base
	u.Intent = lab.Intent
	u.Reason = lab.Reason
	u.RefundType = lab.RefundType
	u.Confidence = lab.Confidence
	u.Source = refundbot.SourceLLM
	if u.OrderID == "" && lab.OrderID != "" {
		id := NormalizeOrderID(lab.OrderID)
		for _, c := range rd.x.candidates {
			if c == id && !LooksLikeTracking(id) {
				u.OrderID = id
				break
			}
		}
	}
	if u.Answer == refundbot.AnswerNone && lab.Answer == refundbot.AnswerNo {
		u.Answer = refundbot.AnswerNo
	}
	if lab.Done && (in.Asking == refundbot.SlotEvidence || in.Asking == refundbot.SlotDescription ||
		in.State == refundbot.StateCollectingAppeal) {
		u.Done = true
	}
	u.Angry = u.Angry || lab.Angry
	return tidy(u, in)
}

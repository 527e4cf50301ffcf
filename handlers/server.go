package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/bot"
	"github.com/refundbot/refundbot/knowledge"
	"github.com/refundbot/refundbot/wechat"
)

// Server is the bot's HTTP server. Fill the fields, call Handler (or
// Echo), and Shutdown to finish in-flight work.
type Server struct {
	Conversations *bot.Conversations
	Webhook       *wechat.Webhook
	// Sender delivers replies that miss the passive-reply deadline,
	// agents' replies and event notices.
	Sender refundbot.Sender
	// Outbox delivers refund updates: customer-service message, template
	// message, or a record for support.
	Outbox     *bot.Outbox
	Deduper    refundbot.Deduper
	Classifier refundbot.Classifier
	Knowledge  *knowledge.Base
	Handoffs   refundbot.HandoffStore
	Sessions   refundbot.SessionStore
	Tokens     Tokens
	// EventSecret keys the platform events' HMAC; empty refuses them all.
	EventSecret string
	// KfAccount names WeChat's customer-service account for transfers.
	KfAccount string
	// PassiveDeadline is how long to wait for the bot before answering
	// WeChat "success" and sending the reply as a customer-service
	// message; WeChat gives up at 5 s.
	PassiveDeadline time.Duration
	// Ready reports whether dependencies are reachable (/readyz).
	Ready func(ctx context.Context) error
	// Simulator pushes messages to this bot's own webhook exactly as
	// WeChat would: the console's chat simulator drives it.
	Simulator *wechat.Simulator
	// UploadMedia stores an image with WeChat's API so the simulator can
	// send photos; nil when that API is the real WeChat.
	UploadMedia func(ctx context.Context, data []byte, filename string) (string, error)
	// Mounts are extra handlers under path prefixes: the embedded platform
	// and WeChat sandboxes.
	Mounts map[string]http.Handler
	Logger *slog.Logger
	Now    func() time.Time

	once     sync.Once
	echo     *echo.Echo
	metrics  *metrics
	inflight sync.WaitGroup // replies still being computed or sent
	closing  chan struct{}
}

// Handler returns the server's routes, built once.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.build)
	return s.echo
}

func (s *Server) build() {
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.PassiveDeadline <= 0 {
		s.PassiveDeadline = 4 * time.Second
	}
	s.closing = make(chan struct{})
	s.metrics = newMetrics()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(s.Logger)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.Logger.ErrorContext(c.Request().Context(), "panic", "path", c.Path(), "err", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.RequestID())
	e.Use(s.metrics.middleware)
	s.routes(e)
	s.echo = e
}

// routes declares every route, grouped by audience.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})))

	// WeChat pushes are small; 1 MiB leaves room for safe mode's base64.
	wx := e.Group("/wechat", middleware.BodyLimit("1M"))
	wx.GET("", s.verifyWeChat)
	wx.POST("", s.wechatMessage)

	e.POST("/webhooks/platform", s.platformEvent, middleware.BodyLimit("1M"))

	// Room for a 10 MiB photo sent through the simulator, base64-encoded.
	api := e.Group("/api/v1", middleware.BodyLimit("14M"), requireToken(s.Tokens))
	api.POST("/classify", s.classify)
	if s.Knowledge != nil {
		RegisterKnowledgeRoutes(api, s.Knowledge, requireOperator, actor)
	}
	s.handoffRoutes(api.Group("/handoffs"))
	s.simulatorRoutes(api.Group(""))
	s.consoleRoutes(e)

	for prefix, h := range s.Mounts {
		e.Any(prefix+"/*", echo.WrapHandler(http.StripPrefix(prefix, h)))
	}
}

// Shutdown waits for replies still being computed or sent, up to ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.once.Do(s.build)
	done := make(chan struct{})
	go func() { s.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.Logger.WarnContext(ctx, "not ready", "err", err)
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": refundbot.ErrorMessage(err)})
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// ObserveSend counts a message sent outside a passive reply by outcome;
// the Outbox reports through it.
func (s *Server) ObserveSend(outcome string) {
	s.once.Do(s.build)
	s.metrics.sends.WithLabelValues(outcome).Inc()
}

// ObserveLLM records one LLM classification and how it ended.
func (s *Server) ObserveLLM(outcome string, d time.Duration) {
	s.once.Do(s.build)
	s.metrics.llm.WithLabelValues(outcome).Observe(d.Seconds())
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/bot"
	"github.com/refundbot/refundbot/classify"
	"github.com/refundbot/refundbot/handlers"
	"github.com/refundbot/refundbot/knowledge"
	"github.com/refundbot/refundbot/platform"
	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/sessions"
	"github.com/refundbot/refundbot/wechat"
	"github.com/refundbot/refundbot/wechat/wechatsandbox"
)

// shutdownGrace is how long in-flight messages may take to finish.
const shutdownGrace = 25 * time.Second

// Mount points of the embedded sandboxes on the bot's own listener.
const (
	platformMount = "/platform-sandbox"
	wechatMount   = "/wechat-sandbox"
)

// Main is the whole program, wired: end-to-end tests start the same Main.
type Main struct {
	Config Config
	Logger *slog.Logger

	// Set by Run.
	URL       string // http://host:port the bot serves on
	WeChatAPI string // the WeChat API base in use
	Platform  string // the platform base URL in use
	Sandbox   *sandbox.Sandbox
	WeChatBox *wechatsandbox.Server

	listener net.Listener
	http     *http.Server
	server   *handlers.Server
	closers  []func() error
	serveErr chan error
	once     sync.Once
}

// Run wires everything and starts serving; it returns once the listener is
// open. Close stops it.
func (m *Main) Run(ctx context.Context) (err error) {
	cfg := m.Config
	log := m.Logger
	if log == nil {
		log = slog.Default()
		m.Logger = log
	}
	defer func() {
		if err != nil {
			m.closeAll()
		}
	}()
	if m.listener, err = net.Listen("tcp", cfg.ListenAddr); err != nil {
		return fmt.Errorf("listen %s: %w", cfg.ListenAddr, err)
	}
	m.URL = "http://" + loopback(m.listener.Addr())
	log.Info("starting refundbot", "config", cfg)
	if cfg.AdminTokenGenerated {
		// Printed once so a newcomer can sign in; set ADMIN_TOKEN to choose it.
		log.Info("generated admin token (set ADMIN_TOKEN to keep one)", "admin_token", cfg.AdminToken)
	}

	mounts := map[string]http.Handler{}

	// Stores: Redis when configured, memory otherwise.
	var (
		sessionStore refundbot.SessionStore
		deduper      refundbot.Deduper
		handoffs     refundbot.HandoffStore
		transcripts  refundbot.TranscriptStore
		kstore       knowledge.Store
		tokenCache   *wechat.RedisCache
		followups    refundbot.FollowUpStore
		rdb          *redis.Client
	)
	if cfg.RedisURL != "" {
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("REDIS_URL: %w", err)
		}
		rdb = redis.NewClient(opt)
		m.closers = append(m.closers, rdb.Close)
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err = rdb.Ping(pctx).Err()
		cancel()
		if err != nil {
			return fmt.Errorf("redis: %w", err)
		}
		const prefix = "refundbot:"
		rs := sessions.NewRedis(rdb, prefix)
		rs.Logger = log
		sessionStore, deduper = rs, rs
		handoffs = sessions.NewRedisHandoffs(rdb, prefix)
		transcripts = sessions.NewRedisTranscripts(rdb, prefix)
		followups = sessions.NewRedisFollowUps(rdb, prefix)
		kstore = knowledge.NewRedisStore(rdb, prefix, log)
		tokenCache = wechat.NewRedisCache(rdb, prefix)
	} else {
		ms := &sessions.Memory{}
		sessionStore, deduper = ms, ms
		handoffs = &sessions.MemoryHandoffs{}
		transcripts = &sessions.MemoryTranscripts{}
		followups = &sessions.MemoryFollowUps{}
		if kstore, err = knowledge.NewMemoryStore(cfg.KnowledgeFile); err != nil {
			return fmt.Errorf("knowledge file: %w", err)
		}
	}

	// The merchant platform: configured, or the embedded sandbox.
	eventSecret := cfg.PlatformWebhookSecret
	m.Platform = cfg.PlatformBaseURL
	if m.Platform == "" {
		if eventSecret == "" {
			eventSecret = randomToken()
		}
		opts := sandbox.Options{
			Demo:          true,
			APIKey:        cfg.PlatformAPIKey,
			WebhookURL:    m.URL + "/webhooks/platform",
			WebhookSecret: eventSecret,
			Logger:        log.With("component", "platform-sandbox"),
		}
		if cfg.SandboxOrdersFile != "" {
			if opts.Orders, err = sandbox.LoadOrdersFile(cfg.SandboxOrdersFile); err != nil {
				return fmt.Errorf("SANDBOX_ORDERS_FILE: %w", err)
			}
		}
		m.Sandbox = sandbox.New(opts)
		m.closers = append(m.closers, m.Sandbox.Close)
		mounts[platformMount] = m.Sandbox
		m.Platform = m.URL + platformMount
	}
	pc := &platform.Client{BaseURL: m.Platform, APIKey: cfg.PlatformAPIKey, Logger: log.With("component", "platform")}

	// WeChat's API: the real one, or the embedded sandbox in development.
	m.WeChatAPI = cfg.WeChatAPIBase
	if cfg.DevWeChat {
		m.WeChatBox = wechatsandbox.New(wechatsandbox.WithCredentials(cfg.WeChatAppID, cfg.WeChatAppSecret))
		mounts[wechatMount] = m.WeChatBox
		m.WeChatAPI = m.URL + wechatMount
	}
	wcfg := wechat.Config{
		AppID: cfg.WeChatAppID, AppSecret: cfg.WeChatAppSecret, Token: cfg.WeChatToken,
		EncodingAESKey: cfg.WeChatAESKey, APIBase: m.WeChatAPI, Logger: log.With("component", "wechat"),
	}
	if tokenCache != nil {
		wcfg.Cache = tokenCache
	}
	wx, err := wechat.NewClient(wcfg)
	if err != nil {
		return fmt.Errorf("wechat: %w", err)
	}
	hook, err := wechat.NewWebhook(wcfg)
	if err != nil {
		return fmt.Errorf("wechat: %w", err)
	}

	classifier, err := newClassifier(cfg, log)
	if err != nil {
		return err
	}

	kcfg := knowledge.Config{Store: kstore, Logger: log.With("component", "knowledge")}
	if cfg.OpenAIEmbeddingModel != "" {
		kcfg.Embedder = knowledge.NewOpenAIEmbedder(cfg.OpenAIBaseURL, cfg.OpenAIKey, cfg.OpenAIEmbeddingModel)
	}
	kb, err := knowledge.Open(ctx, kcfg)
	if err != nil {
		return fmt.Errorf("knowledge: %w", err)
	}
	m.closers = append(m.closers, kb.Close)

	policy := bot.DefaultPolicy()
	policy.AfterSaleDays = cfg.AfterSaleDays
	policy.NoReasonDays = cfg.NoReasonDays
	policy.HandoffAbove = cfg.HandoffAbove
	policy.ServiceStart, policy.ServiceEnd = cfg.ServiceStart, cfg.ServiceEnd
	policy.TransferToWeChat = cfg.HandoffMode == "wechat"
	b := &bot.Bot{
		Orders: pc, Refunds: pc, Evidence: pc, Media: wx,
		Classifier: classifier, Knowledge: kb, Policy: policy,
		Now: time.Now, NewKey: newIdempotencyKey,
	}
	conv := &bot.Conversations{
		Bot: b, Sessions: sessionStore, Transcripts: transcripts, Handoffs: handoffs,
		Unanswered: kb, HandoffTimeout: cfg.HandoffTimeout, Logger: log,
	}
	m.server = &handlers.Server{
		Conversations: conv, Webhook: hook, Sender: wx, Deduper: deduper,
		Classifier: classifier, Knowledge: kb, Handoffs: handoffs, Sessions: sessionStore,
		Tokens:      handlers.Tokens{Admin: cfg.AdminToken, Agents: cfg.AgentTokens},
		EventSecret: eventSecret, KfAccount: cfg.WeChatKfAccount,
		PassiveDeadline: cfg.PassiveDeadline, Mounts: mounts, Logger: log,
		Ready: func(ctx context.Context) error {
			if rdb != nil {
				if err := rdb.Ping(ctx).Err(); err != nil {
					return refundbot.Errorf(refundbot.EUNAVAILABLE, "redis: %v", err)
				}
			}
			if err := pc.Ping(ctx); err != nil {
				return refundbot.Errorf(refundbot.EUNAVAILABLE, "platform: %v", err)
			}
			return nil
		},
	}
	if l, ok := classifier.(*classify.LLM); ok {
		l.Observe = m.server.ObserveLLM
	}
	m.server.Simulator = &wechat.Simulator{BotURL: m.URL + "/wechat", Token: cfg.WeChatToken, EncodingAESKey: cfg.WeChatAESKey, AppID: cfg.WeChatAppID}
	if cfg.DevWeChat {
		api := m.WeChatAPI
		m.server.UploadMedia = func(ctx context.Context, data []byte, filename string) (string, error) {
			return wechat.UploadMedia(ctx, nil, api, "", data, filename)
		}
	}
	outbox := &bot.Outbox{Sender: wx, Conversations: conv, Handoffs: handoffs, Observe: m.server.ObserveSend}
	if cfg.WeChatTemplateID != "" {
		outbox.Templates = wechat.TemplateNotifier{Client: wx, TemplateID: cfg.WeChatTemplateID}
	}
	m.server.Outbox = outbox
	conv.Reminders = &bot.Reminders{
		Refunds: pc, FollowUps: followups, Deduper: deduper, Outbox: outbox,
		Sessions: sessionStore, Now: time.Now, Logger: log.With("component", "reminders"),
	}
	loopCtx, stopLoop := context.WithCancel(context.WithoutCancel(ctx))
	m.closers = append(m.closers, func() error { stopLoop(); return nil })
	go conv.Reminders.Loop(loopCtx, time.Minute)
	m.http = &http.Server{
		Handler:           m.server.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	m.serveErr = make(chan error, 1)
	go func() { m.serveErr <- m.http.Serve(m.listener) }()
	log.Info("refundbot ready", "url", m.URL, "webhook", m.URL+"/wechat", "platform", m.Platform, "wechat_api", m.WeChatAPI)
	return nil
}

// Close stops accepting requests, lets in-flight messages finish (late
// replies are still sent), then closes the stores.
func (m *Main) Close(ctx context.Context) error {
	var errs []error
	m.once.Do(func() {
		if m.http != nil {
			if err := m.http.Shutdown(ctx); err != nil {
				errs = append(errs, err)
			}
		}
		if m.server != nil {
			if err := m.server.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("in-flight messages: %w", err))
			}
		}
		errs = append(errs, m.closeAll())
	})
	return errors.Join(errs...)
}

func (m *Main) closeAll() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		if err := m.closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	m.closers = nil
	if m.listener != nil && m.http == nil {
		_ = m.listener.Close()
	}
	return errors.Join(errs...)
}

// loopback turns a wildcard listen address into one the bot can call
// itself on (the embedded sandboxes live on the same listener).
func loopback(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}

func newIdempotencyKey() string { return "rb-" + randomToken()[:32] }

// newClassifier is the rule-based classifier, with an LLM in front of it
// when one is configured.
func newClassifier(cfg Config, log *slog.Logger) (refundbot.Classifier, error) {
	rules := classify.NewRules()
	if cfg.OpenAIKey == "" && cfg.OpenAIBaseURL == "" {
		return rules, nil
	}
	return classify.New(classify.Config{
		BaseURL: cfg.OpenAIBaseURL, APIKey: cfg.OpenAIKey, Model: cfg.OpenAIModel, Timeout: cfg.LLMBudget,
	}, rules, log.With("component", "llm"))
}

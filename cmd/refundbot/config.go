package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
)

// Config is everything the bot reads from its environment, parsed once
// here; no other package reads the environment.
type Config struct {
	ListenAddr string

	WeChatAppID      string
	WeChatAppSecret  string
	WeChatToken      string
	WeChatAESKey     string
	WeChatAPIBase    string
	WeChatTemplateID string // template message for notices outside the 48 h window
	WeChatKfAccount  string // kf account for HANDOFF_MODE=wechat
	// DevWeChat: no real account configured, so WeChat's API is the
	// embedded sandbox (tokens, customer-service mailbox, media).
	DevWeChat bool

	RedisURL string

	OpenAIKey     string
	OpenAIBaseURL string
	OpenAIModel   string
	// OpenAIEmbeddingModel turns on embeddings in knowledge search.
	OpenAIEmbeddingModel string
	LLMBudget            time.Duration

	PlatformBaseURL       string // empty: the embedded sandbox
	PlatformAPIKey        string
	PlatformWebhookSecret string
	SandboxOrdersFile     string

	AdminToken          string
	AdminTokenGenerated bool
	AgentTokens         map[string]string // token -> name

	HandoffMode    string // "queue" or "wechat"
	HandoffTimeout time.Duration

	KnowledgeFile string

	AfterSaleDays   int
	NoReasonDays    int
	HandoffAbove    refundbot.Fen
	ServiceStart    int
	ServiceEnd      int
	PassiveDeadline time.Duration
	LogLevel        slog.Level
}

// Dev credentials used when none are configured. They only work against
// the embedded WeChat sandbox.
const (
	devAppID     = "wxdev0000000000000"
	devAppSecret = "refundbot-dev-secret"
	devToken     = "refundbot-dev-token"
)

// LoadConfig reads the configuration through getenv (os.Getenv in main).
func LoadConfig(getenv func(string) string) (Config, error) {
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		ListenAddr:            env("LISTEN_ADDR", ":8080"),
		WeChatAppID:           env("WECHAT_APPID", ""),
		WeChatAppSecret:       env("WECHAT_APPSECRET", ""),
		WeChatToken:           env("WECHAT_TOKEN", devToken),
		WeChatAESKey:          env("WECHAT_ENCODING_AES_KEY", ""),
		WeChatAPIBase:         env("WECHAT_API_BASE", ""),
		WeChatTemplateID:      env("WECHAT_TEMPLATE_ID", ""),
		WeChatKfAccount:       env("WECHAT_KF_ACCOUNT", ""),
		RedisURL:              env("REDIS_URL", ""),
		OpenAIKey:             env("OPENAI_API_KEY", ""),
		OpenAIBaseURL:         env("OPENAI_BASE_URL", ""),
		OpenAIModel:           env("OPENAI_MODEL", ""),
		OpenAIEmbeddingModel:  env("OPENAI_EMBEDDING_MODEL", ""),
		PlatformBaseURL:       strings.TrimSuffix(env("PLATFORM_BASE_URL", ""), "/"),
		PlatformAPIKey:        env("PLATFORM_API_KEY", ""),
		PlatformWebhookSecret: env("PLATFORM_WEBHOOK_SECRET", ""),
		SandboxOrdersFile:     env("SANDBOX_ORDERS_FILE", ""),
		AdminToken:            env("ADMIN_TOKEN", ""),
		HandoffMode:           env("HANDOFF_MODE", "queue"),
		KnowledgeFile:         env("KNOWLEDGE_FILE", ""),
	}
	if c.WeChatAppID == "" {
		c.DevWeChat = c.WeChatAPIBase == ""
		c.WeChatAppID, c.WeChatAppSecret = devAppID, devAppSecret
	} else if c.WeChatAppSecret == "" {
		return c, fmt.Errorf("WECHAT_APPSECRET is required with WECHAT_APPID")
	}
	if c.WeChatAPIBase == "" && !c.DevWeChat {
		c.WeChatAPIBase = "https://api.weixin.qq.com"
	}
	if c.WeChatAESKey != "" && len(c.WeChatAESKey) != 43 {
		return c, fmt.Errorf("WECHAT_ENCODING_AES_KEY must have 43 characters, has %d", len(c.WeChatAESKey))
	}
	if c.HandoffMode != "queue" && c.HandoffMode != "wechat" {
		return c, fmt.Errorf("HANDOFF_MODE must be queue or wechat, not %q", c.HandoffMode)
	}
	if c.OpenAIModel == "" && (c.OpenAIKey != "" || c.OpenAIBaseURL != "") {
		c.OpenAIModel = "gpt-4o-mini"
	}
	if c.AdminToken == "" {
		c.AdminToken, c.AdminTokenGenerated = randomToken(), true
	}
	var err error
	if c.AgentTokens, err = parseAgentTokens(env("AGENT_TOKENS", "")); err != nil {
		return c, err
	}
	ints := []struct {
		key  string
		def  int
		into *int
	}{
		{"AFTER_SALE_DAYS", 15, &c.AfterSaleDays},
		{"NO_REASON_DAYS", 7, &c.NoReasonDays},
	}
	for _, i := range ints {
		if *i.into, err = strconv.Atoi(env(i.key, strconv.Itoa(i.def))); err != nil || *i.into < 0 {
			return c, fmt.Errorf("%s must be a whole number of days", i.key)
		}
	}
	if v := env("HANDOFF_ABOVE_YUAN", ""); v != "" {
		if c.HandoffAbove, err = refundbot.ParseYuan(v); err != nil {
			return c, fmt.Errorf("HANDOFF_ABOVE_YUAN: %w", err)
		}
	}
	if c.ServiceStart, c.ServiceEnd, err = parseHours(env("SERVICE_HOURS", "9-21")); err != nil {
		return c, err
	}
	durations := []struct {
		key  string
		def  string
		into *time.Duration
	}{
		{"PASSIVE_REPLY_DEADLINE", "4s", &c.PassiveDeadline},
		{"LLM_BUDGET", "2500ms", &c.LLMBudget},
		{"HANDOFF_TIMEOUT", "30m", &c.HandoffTimeout},
	}
	for _, d := range durations {
		if *d.into, err = time.ParseDuration(env(d.key, d.def)); err != nil {
			return c, fmt.Errorf("%s: %w", d.key, err)
		}
	}
	if c.PassiveDeadline > 4500*time.Millisecond {
		return c, fmt.Errorf("PASSIVE_REPLY_DEADLINE must leave room inside WeChat's 5 s")
	}
	if err := c.LogLevel.UnmarshalText([]byte(env("LOG_LEVEL", "info"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL: %w", err)
	}
	return c, nil
}

func parseAgentTokens(s string) (map[string]string, error) {
	out := map[string]string{}
	if s == "" {
		return out, nil
	}
	for _, pair := range strings.Split(s, ",") {
		name, token, ok := strings.Cut(strings.TrimSpace(pair), ":")
		if !ok || name == "" || len(token) < 8 {
			return nil, fmt.Errorf("AGENT_TOKENS: want name:token pairs with tokens of 8+ characters")
		}
		out[token] = name
	}
	return out, nil
}

func parseHours(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	start, err1 := strconv.Atoi(strings.TrimSpace(a))
	end, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || start < 0 || start > 24 || end < 0 || end > 24 {
		return 0, 0, fmt.Errorf("SERVICE_HOURS: want start-end hours such as 9-21")
	}
	return start, end, nil
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// LogValue prints the configuration with secrets masked.
func (c Config) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "****"
	}
	platform := c.PlatformBaseURL
	if platform == "" {
		platform = "embedded sandbox"
	}
	return slog.GroupValue(
		slog.String("listen", c.ListenAddr),
		slog.String("wechat_appid", c.WeChatAppID),
		slog.Bool("wechat_safe_mode", c.WeChatAESKey != ""),
		slog.Bool("wechat_sandbox", c.DevWeChat),
		slog.String("redis", mask(c.RedisURL)),
		slog.String("llm_model", c.OpenAIModel),
		slog.String("llm_base_url", c.OpenAIBaseURL),
		slog.String("platform", platform),
		slog.String("platform_api_key", mask(c.PlatformAPIKey)),
		slog.Bool("platform_events", c.PlatformWebhookSecret != "" || c.PlatformBaseURL == ""),
		slog.Int("agents", len(c.AgentTokens)),
		slog.String("handoff_mode", c.HandoffMode),
		slog.Int("after_sale_days", c.AfterSaleDays),
	)
}

package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"github.com/refundbot/refundbot"
)

// Config is the official account and how to reach WeChat.
type Config struct {
	AppID     string
	AppSecret string
	// Token checks push signatures; EncodingAESKey, when set, turns on
	// safe mode.
	Token          string
	EncodingAESKey string
	// APIBase replaces https://api.weixin.qq.com (the sandbox, a test
	// server). Empty means DefaultAPIBase.
	APIBase string
	// Timeout bounds each API call, token fetch included. Zero means 3 s.
	Timeout time.Duration
	// Cache holds the access token; nil means the library's in-memory
	// cache. Use RedisCache when several bot processes share the account,
	// since WeChat invalidates a token when another one is issued.
	Cache cache.Cache
	// Logger gets one line per refreshed token or failed call; nil
	// discards.
	Logger *slog.Logger
}

// DefaultTimeout bounds one call to WeChat's API.
const DefaultTimeout = 3 * time.Second

// MaxMediaBytes is the largest media file FetchMedia returns, the
// platform's evidence limit.
const MaxMediaBytes = refundbot.MaxEvidenceBytes

// maxJSONBytes bounds an API answer that is not media.
const maxJSONBytes = 1 << 20

// WeChat API error codes the client acts on.
const (
	codeInvalidToken  = 40001 // access token invalid or superseded
	codeInvalidMedia  = 40007
	codeExpiredToken  = 42001
	codeNotSubscribed = 43004
	codeDailyQuota    = 45009
	codeWindowClosed  = 45015 // 48 hours since the buyer last wrote
	codeSendQuota     = 45047 // too many customer-service messages in a row
)

// Client calls WeChat's API for the account. It implements
// refundbot.Sender and refundbot.MediaFetcher.
type Client struct {
	appID   string
	oa      *officialaccount.OfficialAccount
	cache   cache.Cache
	route   *route
	http    *http.Client // our own calls (media), same route and deadlines
	timeout time.Duration
	log     *slog.Logger
}

var (
	_ refundbot.Sender       = (*Client)(nil)
	_ refundbot.MediaFetcher = (*Client)(nil)
)

// NewClient returns a Client. The access token comes from the library's
// token handler and is cached in cfg.Cache.
func NewClient(cfg Config) (*Client, error) {
	if cfg.AppID == "" || cfg.AppSecret == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "wechat: app id and secret are required")
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Cache == nil {
		cfg.Cache = cache.NewMemory()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	rt, err := newRoute(cfg.APIBase, cfg.Timeout)
	if err != nil {
		return nil, refundbot.Errorf(refundbot.EINVALID, "%v", err)
	}
	installRouting()
	oa := officialaccount.NewOfficialAccount(&oaconfig.Config{
		AppID:     cfg.AppID,
		AppSecret: cfg.AppSecret,
		Cache:     cfg.Cache,
	})
	return &Client{
		appID:   cfg.AppID,
		oa:      oa,
		cache:   cfg.Cache,
		route:   rt,
		http:    &http.Client{Transport: rt, Timeout: cfg.Timeout},
		timeout: cfg.Timeout,
		log:     cfg.Logger,
	}, nil
}

// tokenKey is where credential.DefaultAccessToken caches the token. The
// library computes it inline and exports only the prefix; the token
// refresh test fails if the two ever differ.
func (c *Client) tokenKey() string {
	return fmt.Sprintf("%s_access_token_%s", credential.CacheKeyOfficialAccountPrefix, c.appID)
}

// AccessToken returns the cached token, fetching one when there is none.
func (c *Client) AccessToken(ctx context.Context) (string, error) {
	installRouting()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	tok, err := c.oa.GetAccessTokenContext(withRoute(ctx, c.route))
	if err != nil {
		err = redact(err)
		c.log.WarnContext(ctx, "wechat access token", "err", err)
		return "", &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: "cannot get a WeChat access token", Err: err}
	}
	return tok, nil
}

// dropToken forgets tok if it is still the cached one, so that two calls
// failing with the same stale token refetch only once between them.
func (c *Client) dropToken(tok string) {
	if v, ok := c.cache.Get(c.tokenKey()).(string); ok && v == tok {
		_ = c.cache.Delete(c.tokenKey())
		c.log.Info("wechat access token rejected, refetching")
	}
}

// withToken runs call with a token; when WeChat says the token is invalid
// or expired (another process refreshed it, or it aged out early) it drops
// it, fetches a new one and runs call once more.
func (c *Client) withToken(ctx context.Context, call func(ctx context.Context, token string) error) error {
	for attempt := 0; ; attempt++ {
		tok, err := c.AccessToken(ctx)
		if err != nil {
			return err
		}
		err = c.bounded(ctx, func(ctx context.Context) error { return call(ctx, tok) })
		var ce *util.CommonError
		if attempt == 0 && errors.As(err, &ce) && (ce.ErrCode == codeInvalidToken || ce.ErrCode == codeExpiredToken) {
			c.dropToken(tok)
			continue
		}
		return err
	}
}

// bounded runs f with this client's deadline and routing.
func (c *Client) bounded(ctx context.Context, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return f(withRoute(ctx, c.route))
}

// apiURL is the library's fixed host with a path; the route rewrites it.
func apiURL(path, token string, extra url.Values) string {
	q := url.Values{"access_token": {token}}
	for k, v := range extra {
		q[k] = v
	}
	return DefaultAPIBase + path + "?" + q.Encode()
}

// postJSON posts body with the library's JSON helper (no HTML escaping,
// which WeChat shows literally) and decodes WeChat's errcode into a
// *util.CommonError.
func (c *Client) postJSON(ctx context.Context, api, path string, body any) error {
	return c.withToken(ctx, func(ctx context.Context, token string) error {
		resp, err := util.PostJSONContext(ctx, apiURL(path, token, nil), body)
		if err != nil {
			return redact(err)
		}
		return util.DecodeWithCommonError(resp, api)
	})
}

// Send sends a customer-service text message. It returns EFORBIDDEN when
// the buyer's 48-hour window is closed (or the buyer unsubscribed),
// ERATELIMITED when the quota is used up and EUNAVAILABLE otherwise.
func (c *Client) Send(ctx context.Context, buyer refundbot.BuyerID, text string) error {
	err := c.postJSON(ctx, "CustomerMessageSend", "/cgi-bin/message/custom/send",
		message.NewCustomerTextMessage(string(buyer), text))
	return c.edge(ctx, "send", buyer, err)
}

// SendTemplate sends a template message, which reaches the buyer outside
// the 48-hour window. url, when set, is opened when the buyer taps it.
func (c *Client) SendTemplate(ctx context.Context, buyer refundbot.BuyerID, templateID string, data map[string]string, url string) error {
	msg := &message.TemplateMessage{
		ToUser:     string(buyer),
		TemplateID: templateID,
		URL:        url,
		Data:       make(map[string]*message.TemplateDataItem, len(data)),
	}
	for k, v := range data {
		msg.Data[k] = &message.TemplateDataItem{Value: v}
	}
	err := c.postJSON(ctx, "TemplateSend", "/cgi-bin/message/template/send", msg)
	return c.edge(ctx, "send template", buyer, err)
}

// edge turns a call's error into the *refundbot.Error callers act on.
func (c *Client) edge(ctx context.Context, op string, buyer refundbot.BuyerID, err error) error {
	if err == nil {
		return nil
	}
	var re *refundbot.Error
	if errors.As(err, &re) {
		return err
	}
	code := refundbot.EUNAVAILABLE
	msg := "WeChat " + op + " failed"
	var ce *util.CommonError
	if errors.As(err, &ce) {
		switch ce.ErrCode {
		case codeWindowClosed:
			code, msg = refundbot.EFORBIDDEN, "the buyer's 48-hour window is closed"
		case codeNotSubscribed:
			code, msg = refundbot.EFORBIDDEN, "the buyer does not follow the account"
		case codeSendQuota, codeDailyQuota:
			code, msg = refundbot.ERATELIMITED, "WeChat message quota used up"
		case codeInvalidMedia:
			code, msg = refundbot.ENOTFOUND, "media expired or unknown"
		}
	}
	c.log.WarnContext(ctx, "wechat "+op, "buyer", buyer.Masked(), "code", code, "err", err)
	return &refundbot.Error{Code: code, Message: msg, Err: err}
}

// FetchMedia downloads a temporary media file (the buyer's image or
// video). It returns ENOTFOUND for an expired or unknown media id and
// EINVALID for a file over MaxMediaBytes.
func (c *Client) FetchMedia(ctx context.Context, mediaID string) ([]byte, string, error) {
	var data []byte
	var ctype string
	err := c.withToken(ctx, func(ctx context.Context, token string) error {
		var err error
		data, ctype, err = c.getMedia(ctx, apiURL("/cgi-bin/media/get", token, url.Values{"media_id": {mediaID}}), c.http)
		if err != nil {
			return err
		}
		// Videos come back as JSON naming a download URL on WeChat's CDN,
		// which is not the API host, so it is fetched without rewriting.
		if v, ok := videoURL(data, ctype); ok {
			direct := &http.Client{Timeout: c.timeout}
			data, ctype, err = c.getMedia(ctx, v, direct)
		}
		if err == nil && ctype == "application/json" {
			return errors.New("media get: JSON answer without a file")
		}
		return err
	})
	if err != nil {
		return nil, "", c.edge(ctx, "media get", "", err)
	}
	return data, ctype, nil
}

func (c *Client) getMedia(ctx context.Context, u string, hc *http.Client) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", redact(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, "", redact(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("media get: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxMediaBytes+1))
	if err != nil {
		return nil, "", redact(fmt.Errorf("media get: read: %w", err))
	}
	if len(data) > MaxMediaBytes {
		return nil, "", &refundbot.Error{Code: refundbot.EINVALID, Message: "media file over 10 MiB"}
	}
	ctype := resp.Header.Get("Content-Type")
	if isJSON(ctype, data) {
		if err := util.DecodeWithCommonError(data, "MediaGet"); err != nil {
			return nil, "", err
		}
		return data, "application/json", nil
	}
	if ctype == "" || strings.HasPrefix(ctype, "application/octet-stream") {
		ctype = http.DetectContentType(data)
	}
	return data, ctype, nil
}

// isJSON tells WeChat's JSON answers (errors, video URLs) from file bytes.
// WeChat labels its errors text/plain at times, so a body that looks like a
// JSON object under a non-media type counts too.
func isJSON(ctype string, data []byte) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	if mt == "application/json" {
		return true
	}
	if strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "video/") || strings.HasPrefix(mt, "audio/") {
		return false
	}
	return len(data) < maxJSONBytes && json.Valid(data) && strings.HasPrefix(strings.TrimSpace(string(data)), "{")
}

func videoURL(data []byte, ctype string) (string, bool) {
	if ctype != "application/json" {
		return "", false
	}
	var v struct {
		VideoURL string `json:"video_url"`
	}
	if json.Unmarshal(data, &v) != nil || v.VideoURL == "" {
		return "", false
	}
	u, err := url.Parse(v.VideoURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	return v.VideoURL, true
}

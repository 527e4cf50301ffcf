package wechat

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// DefaultAPIBase is WeChat's API server; the library hard-codes it.
const DefaultAPIBase = "https://api.weixin.qq.com"

// route sends requests meant for api.weixin.qq.com to a configured base
// URL (WeChat itself, the sandbox, a test server), over its own
// connection pool.
type route struct {
	base *url.URL
	next http.RoundTripper
}

func newRoute(apiBase string, timeout time.Duration) (*route, error) {
	u, err := url.Parse(apiBase)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("wechat: API base %q is not an http(s) URL", apiBase)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = timeout
	return &route{base: u, next: t}, nil
}

// RoundTrip rewrites scheme and host (and prefixes the base's path, so a
// sandbox mounted under a path works) and sends the request on.
func (rt *route) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme = rt.base.Scheme
	r.URL.Host = rt.base.Host
	r.URL.Path = rt.base.Path + req.URL.Path
	r.URL.RawPath = ""
	r.Host = rt.base.Host
	return rt.next.RoundTrip(r)
}

// The library sends every request through the process-wide
// util.DefaultHTTPClient and offers no per-account client. The least global
// fix: install, once, a transport that routes only requests whose context
// carries a *route (our calls) and hands every other request to the
// transport that was there before, unchanged. Each Client keeps its own
// base URL, pool and deadlines in its route, so several Clients (tests, a
// sandbox and a real account) live side by side.
var installHook sync.Once

type routeKey struct{}

func withRoute(ctx context.Context, rt *route) context.Context {
	return context.WithValue(ctx, routeKey{}, rt)
}

type hookTransport struct{ fallback http.RoundTripper }

func (h hookTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if rt, ok := req.Context().Value(routeKey{}).(*route); ok {
		return rt.RoundTrip(req)
	}
	return h.fallback.RoundTrip(req)
}

func installRouting() {
	installHook.Do(func() {
		prev := util.DefaultHTTPClient
		if prev == nil {
			prev = http.DefaultClient
		}
		fallback := prev.Transport
		if fallback == nil {
			fallback = http.DefaultTransport
		}
		util.DefaultHTTPClient = &http.Client{
			Transport:     hookTransport{fallback: fallback},
			CheckRedirect: prev.CheckRedirect,
			Jar:           prev.Jar,
			Timeout:       prev.Timeout,
		}
	})
}

// secretParam matches credentials in URLs: the library puts the access
// token and the app secret in query strings, and both its errors and
// net/http's *url.Error quote the whole URL.
var secretParam = regexp.MustCompile(`(access_token|secret)=[^&\s"']*`)

// redactedError hides credentials in err's text and keeps the chain for
// errors.Is (deadline, cancellation).
type redactedError struct{ err error }

func (e redactedError) Error() string {
	return secretParam.ReplaceAllString(e.err.Error(), "$1=REDACTED")
}
func (e redactedError) Unwrap() error { return e.err }

func redact(err error) error {
	if err == nil {
		return nil
	}
	return redactedError{err}
}

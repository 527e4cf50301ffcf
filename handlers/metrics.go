package handlers

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the bot's Prometheus series; one registry per Server so
// tests can run several.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	messages *prometheus.CounterVec // WeChat messages by kind and how answered
	turn     prometheus.Histogram   // time to the bot's answer
	events   *prometheus.CounterVec // platform events by outcome
	sends    *prometheus.CounterVec // customer-service sends by outcome
	llm      *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "refundbot_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "refundbot_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 4.5, 10},
		}, []string{"route"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "refundbot_wechat_messages_total", Help: "WeChat messages by kind and outcome (passive, async, duplicate, error).",
		}, []string{"kind", "outcome"}),
		turn: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "refundbot_turn_seconds", Help: "Time for the bot to answer one buyer message.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 4, 8},
		}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "refundbot_platform_events_total", Help: "Platform events by outcome.",
		}, []string{"outcome"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "refundbot_customer_messages_total", Help: "Messages sent to buyers outside passive replies, by outcome.",
		}, []string{"outcome"}),
		llm: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "refundbot_llm_classify_seconds", Help: "LLM classification time by outcome (llm, cache, breaker_open, timeout, error, invalid).",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 3, 5},
		}, []string{"outcome"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.messages, m.turn, m.events, m.sends, m.llm,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// middleware counts every request by its route pattern (never the raw
// path: ids would explode the series).
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		if err != nil {
			if he, ok := err.(*echo.HTTPError); ok {
				status = he.Code
			}
		}
		m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		return err
	}
}

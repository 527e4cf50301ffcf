// Package handlers is the bot's HTTP surface on Echo: the WeChat webhook,
// platform events, the operator and support APIs, health and metrics, and
// the web console. It is the only package that imports Echo.
//
// It decides nothing about refunds: it verifies, decodes, calls the bot or
// a store, and maps errors to status codes in one place (errors.go).
package handlers

// Package wechat is refundbot's glue to a WeChat Official Account: it
// verifies, decrypts and parses webhook pushes and writes passive replies
// (Webhook), calls WeChat's API for customer-service messages, template
// messages and media downloads with a cached access token (Client), and
// plays WeChat's servers towards the bot for the chat tool and e2e tests
// (Simulator).
//
// It must not decide anything about refunds and must never log message
// contents, access tokens or the app secret. It uses
// github.com/silenceper/wechat/v2 for signatures, AES, message types, the
// token cache and the token fetch, but never the library's root package or
// its server.Server, which log raw messages and write responses on their
// own.
package wechat

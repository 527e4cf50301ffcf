// Package bot is the refund conversation: an explicit state machine that
// turns one buyer message and the buyer's session into replies and the next
// session. It owns the flow and every buyer-facing sentence (texts_zh.go).
//
// It must not import HTTP, Redis, WeChat or LLM packages: lookups, uploads,
// filing and storage go through the interfaces of package refundbot, so a
// test can run a whole refund in memory and read the replies.
package bot

// Package refundbot is the vocabulary of the refund bot: orders, refunds,
// sessions, intents, errors and the small interfaces the conversation needs.
// It imports only the standard library and knows nothing of HTTP, Redis,
// WeChat or any LLM; those live in their own packages and implement these
// interfaces.
package refundbot

// Package classify reads a buyer's message: intent, reason, refund type,
// order number, amount, tracking number, yes/no, done and anger.
//
// It owns two refundbot.Classifier implementations: Rules (offline, fast,
// always available: keyword and pattern rules combined with two small naive
// Bayes models, for intent and reason, trained in-process from the labelled
// utterances in data/) and LLM (an OpenAI-compatible model that only labels,
// with Rules as its fallback and as the only source of extracted facts).
// It must not decide anything: ownership, eligibility, amounts and filing
// belong to the bot and the platform. It is the only importer of go-openai.
package classify

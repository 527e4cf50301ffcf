// Package knowledge owns the FAQ knowledge base: its entries, their
// versions and rollback, imports and exports, the search index that answers
// buyers' general questions in Chinese, and the list of questions it could
// not answer. Entries live in a Store (memory, optionally a JSON file, or
// Redis shared by every instance).
//
// It must not talk to buyers or decide what the bot says: it only finds the
// entry that answers a question, or says that none does (Best is nil), so
// the bot never answers with a wrong entry. It knows nothing of HTTP.
package knowledge

package refundbot

import "context"

// Entry is one FAQ entry (bot-api.md).
type Entry struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Similar  []string `json:"similar"`
	Answer   string   `json:"answer"`
	Tags     []string `json:"tags"`
}

// Match is an entry found for a question, with its score.
type Match struct {
	Entry Entry
	Score float64
}

// SearchResult is the answer to a knowledge search. Best is nil when no
// entry answers the question confidently (the bot then says it is not sure).
type SearchResult struct {
	Best    *Match
	Results []Match
}

// KnowledgeBase answers buyers' general questions.
type KnowledgeBase interface {
	Search(ctx context.Context, question string, k int) (SearchResult, error)
}

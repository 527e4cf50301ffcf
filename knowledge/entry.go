package knowledge

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
)

// Limits on what an operator may store. They keep one entry readable in a
// WeChat message and the whole base small enough to hold in every instance.
const (
	MaxEntries        = 20000
	MaxIDLen          = 64
	MaxQuestionRunes  = 200
	MaxSimilar        = 50
	MaxAnswerRunes    = 2000
	MaxTags           = 20
	MaxTagRunes       = 32
	maxReportedErrors = 10
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// cleanEntry trims the texts of e and drops empty similar phrasings and
// tags, so "" and " " never reach the index; nil lists become empty lists
// so JSON shows [] rather than null.
func cleanEntry(e refundbot.Entry) refundbot.Entry {
	e.ID = strings.TrimSpace(e.ID)
	e.Question = strings.TrimSpace(e.Question)
	e.Answer = strings.TrimSpace(e.Answer)
	e.Similar = cleanList(e.Similar)
	e.Tags = cleanList(e.Tags)
	return e
}

func cleanList(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// validateEntry lists what is wrong with one cleaned entry.
func validateEntry(e refundbot.Entry) []string {
	var errs []string
	switch {
	case e.ID == "":
		errs = append(errs, "id is empty")
	case len(e.ID) > MaxIDLen:
		errs = append(errs, fmt.Sprintf("id is longer than %d characters", MaxIDLen))
	case !idPattern.MatchString(e.ID):
		errs = append(errs, "id must be kebab-case (lower-case letters and digits joined by single hyphens)")
	}
	if e.Question == "" {
		errs = append(errs, "question is empty")
	} else if utf8.RuneCountInString(e.Question) > MaxQuestionRunes {
		errs = append(errs, fmt.Sprintf("question is longer than %d characters", MaxQuestionRunes))
	}
	if len(e.Similar) > MaxSimilar {
		errs = append(errs, fmt.Sprintf("more than %d similar questions", MaxSimilar))
	}
	for i, s := range e.Similar {
		if utf8.RuneCountInString(s) > MaxQuestionRunes {
			errs = append(errs, fmt.Sprintf("similar[%d] is longer than %d characters", i, MaxQuestionRunes))
		}
	}
	if e.Answer == "" {
		errs = append(errs, "answer is empty")
	} else if utf8.RuneCountInString(e.Answer) > MaxAnswerRunes {
		errs = append(errs, fmt.Sprintf("answer is longer than %d characters", MaxAnswerRunes))
	}
	if len(e.Tags) > MaxTags {
		errs = append(errs, fmt.Sprintf("more than %d tags", MaxTags))
	}
	for i, t := range e.Tags {
		if utf8.RuneCountInString(t) > MaxTagRunes {
			errs = append(errs, fmt.Sprintf("tags[%d] is longer than %d characters", i, MaxTagRunes))
		}
	}
	return errs
}

// ValidateEntries cleans entries and checks them as a whole base: each
// entry valid, ids unique, not too many. It returns the cleaned entries, or
// an EINVALID error naming the first problems so an operator can fix the
// file in one go.
func ValidateEntries(entries []refundbot.Entry) ([]refundbot.Entry, error) {
	if len(entries) > MaxEntries {
		return nil, refundbot.Errorf(refundbot.EINVALID, "too many entries: %d (at most %d)", len(entries), MaxEntries)
	}
	out := make([]refundbot.Entry, len(entries))
	seen := make(map[string]int, len(entries))
	var problems []string
	for i, e := range entries {
		e = cleanEntry(e)
		out[i] = e
		for _, p := range validateEntry(e) {
			problems = append(problems, fmt.Sprintf("entries[%d] (id %q): %s", i, e.ID, p))
		}
		if e.ID == "" {
			continue
		}
		if j, dup := seen[e.ID]; dup {
			problems = append(problems, fmt.Sprintf("entries[%d]: id %q repeats entries[%d]", i, e.ID, j))
		} else {
			seen[e.ID] = i
		}
	}
	if len(problems) > 0 {
		more := ""
		if len(problems) > maxReportedErrors {
			more = fmt.Sprintf("; and %d more", len(problems)-maxReportedErrors)
			problems = problems[:maxReportedErrors]
		}
		return nil, refundbot.Errorf(refundbot.EINVALID, "invalid knowledge base: %s%s", strings.Join(problems, "; "), more)
	}
	return out, nil
}

// ValidateEntry cleans and checks one entry.
func ValidateEntry(e refundbot.Entry) (refundbot.Entry, error) {
	out, err := ValidateEntries([]refundbot.Entry{e})
	if err != nil {
		return refundbot.Entry{}, err
	}
	return out[0], nil
}

func cloneEntry(e refundbot.Entry) refundbot.Entry {
	e.Similar = append([]string{}, e.Similar...)
	e.Tags = append([]string{}, e.Tags...)
	return e
}

func cloneEntries(in []refundbot.Entry) []refundbot.Entry {
	out := make([]refundbot.Entry, len(in))
	for i, e := range in {
		out[i] = cloneEntry(e)
	}
	return out
}

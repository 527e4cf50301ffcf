package classify

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/refundbot/refundbot"
)

// Utterance is one labelled line of an utterances file
// (shared/eval/README.md). Null fields decode as "".
type Utterance struct {
	Text       string               `json:"text"`
	Intent     refundbot.Intent     `json:"intent"`
	Reason     refundbot.Reason     `json:"reason"`
	RefundType refundbot.RefundType `json:"refund_type"`
	// OrderID is the order number exactly as written; compared after
	// NormalizeOrderID.
	OrderID string `json:"order_id"`
	// State and Asking are optional: what the bot was doing.
	State  refundbot.State `json:"state,omitempty"`
	Asking refundbot.Slot  `json:"asking,omitempty"`
}

// Score is the share of lines a field got right.
type Score struct {
	Correct, Total int
}

// Accuracy is Correct/Total, 0 for no lines.
func (s Score) Accuracy() float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.Correct) / float64(s.Total)
}

func (s *Score) add(ok bool) {
	s.Total++
	if ok {
		s.Correct++
	}
}

// Miss is one line a classifier got wrong in at least one field.
type Miss struct {
	Line   int
	Text   string
	Fields []string // "intent: want refund, got faq"
}

// Report is how a classifier did on an utterances file.
type Report struct {
	Lines      int
	Intent     Score
	Reason     Score
	RefundType Score
	OrderID    Score
	// TrackingAsOrder counts order numbers returned that were courier
	// tracking numbers: the one mistake the bot must never make.
	TrackingAsOrder int
	// Confusion[want][got] counts intents.
	Confusion map[refundbot.Intent]map[refundbot.Intent]int
	// Sources counts the Source of each Understanding (rules, llm).
	Sources map[string]int
	Misses  []Miss
	// Median and P95 are the classifier's own time per message.
	Median, P95 time.Duration
}

// Eval classifies every line of an utterances JSONL stream with c and
// scores intent, reason, refund type and order number (normalised; a null
// matching an empty field counts as correct). It stops at the first line
// that is not valid JSON, or when c fails.
func Eval(ctx context.Context, r io.Reader, c refundbot.Classifier) (Report, error) {
	rep := Report{
		Confusion: map[refundbot.Intent]map[refundbot.Intent]int{},
		Sources:   map[string]int{},
	}
	var times []time.Duration
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		var want Utterance
		if err := json.Unmarshal([]byte(raw), &want); err != nil {
			return rep, refundbot.Errorf(refundbot.EINVALID, "line %d: %v", line, err)
		}
		state := want.State
		if state == "" {
			state = refundbot.StateIdle
		}
		start := time.Now()
		got, err := c.Classify(ctx, refundbot.ClassifyInput{Text: want.Text, State: state, Asking: want.Asking})
		times = append(times, time.Since(start))
		if err != nil {
			return rep, fmt.Errorf("classify line %d: %w", line, err)
		}
		rep.score(line, want, got)
	}
	if err := sc.Err(); err != nil {
		return rep, fmt.Errorf("read utterances: %w", err)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	if n := len(times); n > 0 {
		rep.Median = times[n/2]
		rep.P95 = times[min(n-1, n*95/100)]
	}
	return rep, nil
}

func (rep *Report) score(line int, want Utterance, got refundbot.Understanding) {
	rep.Lines++
	rep.Sources[got.Source]++
	if rep.Confusion[want.Intent] == nil {
		rep.Confusion[want.Intent] = map[refundbot.Intent]int{}
	}
	rep.Confusion[want.Intent][got.Intent]++

	var fields []string
	check := func(s *Score, name, w, g string) {
		ok := w == g
		s.add(ok)
		if !ok {
			fields = append(fields, fmt.Sprintf("%s: want %s, got %s", name, orNull(w), orNull(g)))
		}
	}
	check(&rep.Intent, "intent", string(want.Intent), string(got.Intent))
	check(&rep.Reason, "reason", string(want.Reason), string(got.Reason))
	check(&rep.RefundType, "refund_type", string(want.RefundType), string(got.RefundType))
	wantID, gotID := NormalizeOrderID(want.OrderID), NormalizeOrderID(got.OrderID)
	check(&rep.OrderID, "order_id", wantID, gotID)
	if gotID != "" && gotID != wantID && (LooksLikeTracking(gotID) || want.Intent == refundbot.IntentLogistics) {
		rep.TrackingAsOrder++
	}
	if len(fields) > 0 {
		rep.Misses = append(rep.Misses, Miss{Line: line, Text: want.Text, Fields: fields})
	}
}

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

// Write prints the report as plain-text tables: accuracies, the intent
// confusion matrix (rows: labelled, columns: classified) and the misses.
func (rep Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "lines\t%d\n", rep.Lines)
	for _, f := range []struct {
		name string
		s    Score
	}{{"intent", rep.Intent}, {"reason", rep.Reason}, {"refund_type", rep.RefundType}, {"order_id", rep.OrderID}} {
		fmt.Fprintf(tw, "%s\t%.3f\t(%d/%d)\n", f.name, f.s.Accuracy(), f.s.Correct, f.s.Total)
	}
	fmt.Fprintf(tw, "tracking_as_order\t%d\n", rep.TrackingAsOrder)
	fmt.Fprintf(tw, "time median\t%v\np95\t%v\n", rep.Median, rep.P95)
	var srcs []string
	for s, n := range rep.Sources {
		srcs = append(srcs, fmt.Sprintf("%s=%d", s, n))
	}
	sort.Strings(srcs)
	fmt.Fprintf(tw, "sources\t%s\n", strings.Join(srcs, " "))
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}

	fmt.Fprintln(w, "\nintent confusion (rows labelled, columns classified)")
	tw = tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, g := range refundbot.Intents {
		fmt.Fprintf(tw, "%s\t", abbrev(g))
	}
	fmt.Fprintln(tw)
	for _, want := range refundbot.Intents {
		row := rep.Confusion[want]
		if len(row) == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t", want)
		for _, got := range refundbot.Intents {
			if n := row[got]; n > 0 {
				fmt.Fprintf(tw, "%d\t", n)
			} else {
				fmt.Fprint(tw, ".\t")
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if len(rep.Misses) > 0 {
		fmt.Fprintf(w, "\nmisses (%d)\n", len(rep.Misses))
		for _, m := range rep.Misses {
			fmt.Fprintf(w, "%4d  %s\n      %s\n", m.Line, m.Text, strings.Join(m.Fields, "; "))
		}
	}
	return nil
}

// abbrev shortens intent names for the matrix header.
func abbrev(i refundbot.Intent) string {
	if len(i) > 6 {
		return string(i[:6])
	}
	return string(i)
}

package classify

import (
	"math/rand/v2"
	"testing"

	"github.com/refundbot/refundbot"
)

// crossValidate splits us into k folds, trains the models on k-1 and
// scores the classifier in mode on the fold left out.
func crossValidate(us []Utterance, k int, mode blendMode) Report {
	rng := rand.New(rand.NewPCG(1, 2))
	perm := rng.Perm(len(us))
	rep := Report{Confusion: map[refundbot.Intent]map[refundbot.Intent]int{}, Sources: map[string]int{}}
	for fold := range k {
		var train, test []Utterance
		for i, j := range perm {
			if i%k == fold {
				test = append(test, us[j])
			} else {
				train = append(train, us[j])
			}
		}
		r := &Rules{m: trainModels(train), mode: mode}
		for i, u := range test {
			state := u.State
			if state == "" {
				state = refundbot.StateIdle
			}
			got := r.Understand(refundbot.ClassifyInput{Text: u.Text, State: state, Asking: u.Asking})
			rep.score(i+1, u, got)
		}
	}
	return rep
}

// TestCrossValidation: the combined classifier, trained on four fifths of
// the corpus, reads the fifth it never saw. The rules were not written
// against the generated corpus, so this measures how the pair generalises
// to phrasings the model was not trained on.
func TestCrossValidation(t *testing.T) {
	us, err := corpus()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		mode   blendMode
		intent float64
		reason float64
	}{
		{"rules", blendRulesOnly, 0, 0},
		{"model", blendModelOnly, 0, 0},
		{"combined", blendBoth, 0.92, 0.85},
	} {
		rep := crossValidate(us, 5, c.mode)
		t.Logf("%-8s intent %.3f reason %.3f order %.3f (%d lines)", c.name, rep.Intent.Accuracy(), rep.Reason.Accuracy(), rep.OrderID.Accuracy(), rep.Lines)
		if rep.Intent.Accuracy() < c.intent || rep.Reason.Accuracy() < c.reason {
			t.Errorf("%s: intent %.3f reason %.3f, want >= %.2f, %.2f", c.name, rep.Intent.Accuracy(), rep.Reason.Accuracy(), c.intent, c.reason)
		}
	}
}

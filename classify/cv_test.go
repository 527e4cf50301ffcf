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
		t.Logf("%-8s intent %.3f reason %.3f order %.3f tracking-as-order %d (%d lines)", c.name, rep.Intent.Accuracy(), rep.Reason.Accuracy(), rep.OrderID.Accuracy(), rep.TrackingAsOrder, rep.Lines)
		if rep.TrackingAsOrder != 0 {
			t.Errorf("%s: %d tracking numbers taken for order numbers", c.name, rep.TrackingAsOrder)
		}
		if rep.Intent.Accuracy() < c.intent || rep.Reason.Accuracy() < c.reason {
			t.Errorf("%s: intent %.3f reason %.3f, want >= %.2f, %.2f", c.name, rep.Intent.Accuracy(), rep.Reason.Accuracy(), c.intent, c.reason)
		}
	}
}

// TestModelFeatures: digits fold to one symbol, ASCII words stay whole,
// spaces between Han characters vanish.
func TestModelFeatures(t *testing.T) {
	for in, want := range map[string]string{
		"订单3712345678901234567 退款": "订单0退款",
		"退 款":                      "退款",
		"refund pls 谢谢":            "refund pls 谢谢",
		"tui款":                     "tui 款",
		"":                         "",
	} {
		if got := modelText(normalize(in)); got != want {
			t.Errorf("modelText(%q) = %q, want %q", in, got, want)
		}
	}
	a, b := features(modelText("退款")), features(modelText("退款退款"))
	if len(a) == 0 || len(b) <= len(a) {
		t.Errorf("features: %d, %d", len(a), len(b))
	}
}

func benchTexts(b *testing.B) []string {
	us, err := corpus()
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, 0, 200)
	for i := 0; i < len(us) && len(texts) < 200; i += 7 {
		texts = append(texts, us[i].Text)
	}
	return texts
}

// BenchmarkCombined, BenchmarkRulesOnly and BenchmarkModelOnly split the
// time per message between the halves of the classifier.
func BenchmarkCombined(b *testing.B)  { benchMode(b, blendBoth) }
func BenchmarkRulesOnly(b *testing.B) { benchMode(b, blendRulesOnly) }
func BenchmarkModelOnly(b *testing.B) { benchMode(b, blendModelOnly) }

func benchMode(b *testing.B, mode blendMode) {
	texts := benchTexts(b)
	r := &Rules{mode: mode}
	loadModels()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, text := range texts {
			r.Understand(refundbot.ClassifyInput{Text: text, State: refundbot.StateIdle})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/msg")
}

// BenchmarkTrain is the startup cost of the models.
func BenchmarkTrain(b *testing.B) {
	us, err := corpus()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		trainModels(us)
	}
}

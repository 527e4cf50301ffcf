package knowledge

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"encoding/json"
)

// taxonomyIntents are the intent ids intents/taxonomy.md lists.
func taxonomyIntents(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile("intents/taxonomy.md")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^- ([a-z_]+) — `).FindAllStringSubmatch(string(raw), -1) {
		ids[m[1]] = true
	}
	return ids
}

// squash is text with everything but letters and digits dropped, to
// compare phrasings whatever their punctuation and spacing.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

func TestIntentData(t *testing.T) {
	examples, err := readIntentData(intentData)
	if err != nil {
		t.Fatal(err)
	}
	ids := taxonomyIntents(t)
	if len(ids) < 90 {
		t.Fatalf("taxonomy.md lists %d intents", len(ids))
	}
	buyer, faq := map[string]int{}, map[string]int{}
	seen := map[string]string{}
	for _, ex := range examples {
		if !ids[ex.Intent] {
			t.Errorf("%q: intent %q is not in taxonomy.md", ex.Text, ex.Intent)
		}
		switch ex.Style {
		case "buyer":
			buyer[ex.Intent]++
		case "faq":
			faq[ex.Intent]++
		default:
			t.Errorf("%q: style %q, want buyer or faq", ex.Text, ex.Style)
		}
		if prev, dup := seen[squash(ex.Text)]; dup {
			t.Errorf("%q is written twice (%s, %s)", ex.Text, prev, ex.Intent)
		}
		seen[squash(ex.Text)] = ex.Intent
	}
	for id := range ids {
		if buyer[id] < 40 || faq[id] < 6 {
			t.Errorf("%s: %d buyer messages and %d FAQ titles, want at least 40 and 6", id, buyer[id], faq[id])
		}
	}
}

// The search's figures on labelled questions mean something only if the
// intent model never saw those questions: no training line may be one of
// them, whatever its punctuation.
func TestIntentDataHoldsNoLabelledQuestion(t *testing.T) {
	examples, err := readIntentData(intentData)
	if err != nil {
		t.Fatal(err)
	}
	training := map[string]bool{}
	for _, ex := range examples {
		training[squash(ex.Text)] = true
	}
	files, _ := filepath.Glob("testdata/blind/queries-*.jsonl")
	files = append(files, "testdata/faq-queries-dev.jsonl", "testdata/default-queries.jsonl")
	var n int
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var q struct{ Text string }
			if json.Unmarshal(sc.Bytes(), &q) != nil || q.Text == "" {
				continue
			}
			n++
			if training[squash(q.Text)] {
				t.Errorf("%s: %q is in the intent model's training data", path, q.Text)
			}
		}
		f.Close()
	}
	for _, tt := range intentCases {
		if training[squash(tt.text)] {
			t.Errorf("intentCases: %q is in the training data", tt.text)
		}
	}
	if n < 1000 {
		t.Fatalf("read only %d labelled questions", n)
	}
}

// Buyers' phrasings that share no word with the usual FAQ title; none is
// in the training data.
var intentCases = []struct{ text, want string }{
	{"钱啥时候能回到我卡上", "refund_arrival_time"},
	{"退的钱给我打到哪了", "refund_destination"},
	{"你家平时走哪个物流", "courier_choice"},
	{"卖家一直装死不回消息", "merchant_no_response"},
	{"能给开个票吗 报销用", "invoice"},
	{"寄回去的邮费算谁的", "return_shipping_fee"},
	{"东西还没发出去 我不想要了 钱能退吗", "refund_before_shipping"},
	{"包裹里少了一个配件", "missing_item"},
	{"这个榨汁机怎么拆洗", "product_care"},
	{"想找个真人聊聊", "contact_human"},
}

func TestIntentPredict(t *testing.T) {
	m := defaultIntents()
	var ok int
	for _, tt := range intentCases {
		got, p := m.predict(tt.text)
		if got == tt.want {
			ok++
		} else {
			t.Logf("%q → %s (%.2f), want %s", tt.text, got, p, tt.want)
		}
	}
	// One reading in ten may go astray; the search does not rely on any
	// one of them.
	if ok < len(intentCases)-1 {
		t.Errorf("%d of %d read right", ok, len(intentCases))
	}
	if l, p := m.predict("!!! ~~~"); l != "" || p != 0 {
		t.Errorf("text with no known feature read as %s (%.2f)", l, p)
	}
}

// Trained on four fifths of the data, the model reads most of the last
// fifth right, and is rarely wrong when it is confident enough for its
// label to become a search term.
func TestIntentModelHoldout(t *testing.T) {
	all, err := readIntentData(intentData)
	if err != nil {
		t.Fatal(err)
	}
	var train, test []intentExample
	for i, ex := range all {
		if i%5 == 0 {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
	}
	m := trainIntents(train)
	var ok, confident, confidentOK int
	for _, ex := range test {
		l, p := m.predict(ex.Text)
		if l == ex.Intent {
			ok++
		}
		if p >= intentMinConfidence {
			confident++
			if l == ex.Intent {
				confidentOK++
			}
		}
	}
	acc := float64(ok) / float64(len(test))
	precision := float64(confidentOK) / float64(max(confident, 1))
	t.Logf("%d labels; held-out accuracy %.3f; %.3f confident, of which %.3f right", len(m.labels), acc, float64(confident)/float64(len(test)), precision)
	if acc < 0.75 || precision < 0.8 {
		t.Errorf("held-out accuracy %.3f (want ≥ 0.75), precision when confident %.3f (want ≥ 0.8)", acc, precision)
	}
}

func TestIntentTrainingIsDeterministic(t *testing.T) {
	all, err := readIntentData(intentData)
	if err != nil {
		t.Fatal(err)
	}
	a, b := trainIntents(all[:800]), trainIntents(all[:800])
	for i := range a.weights {
		if a.weights[i] != b.weights[i] {
			t.Fatalf("weight %d: %v and %v", i, a.weights[i], b.weights[i])
		}
	}
}

func FuzzReadPhrasing(f *testing.F) {
	for _, tt := range intentCases {
		f.Add(tt.text)
	}
	f.Add("")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, text string) {
		r := readPhrasing(text)
		if len(r.intent) > readingLabels {
			t.Fatalf("reading keeps %d intents", len(r.intent))
		}
		var sum float32
		for i, lp := range r.intent {
			if i > 0 && lp.p > r.intent[i-1].p {
				t.Fatalf("reading not sorted: %v", r.intent)
			}
			sum += lp.p
		}
		if sum > 1.0001 {
			t.Fatalf("reading sums to %v", sum)
		}
		if s := readQuery(text).sim(r.intent); s < 0 || s > 1.0001 || s != s {
			t.Fatalf("a text's similarity to itself is %v", s)
		}
	})
}

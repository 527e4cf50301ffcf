package knowledge_test

import (
	"context"
	"testing"
)

// Blind sets: knowledge bases and buyer questions written apart from the
// development set, so they measure how the search does on a base it was
// not written for. Every set up to round 9 has been read and tuned on
// (the cut's rule is fitted on all of them, calibrate.go), so its figures
// here are in-sample; the honest ones, each base scored by a rule chosen
// on the others, are in testdata/blind/README.md and
// TestAdaptiveLeaveOneOut. Round 9's three held-out sets were measured
// before the round and after each of its steps, and never read. Each asserts a
// floor just under its figures after round 12, to catch regressions; the
// comments give each set's figures after round 11 → after round 12 (the
// intent model, intent.go), answered / abstained.
func TestSearchBlindSets(t *testing.T) {
	tests := []struct {
		name, kb, queries    string
		minAnswered, minAbst float64
	}{
		// Rounds 1-8 (README). Round 8's held-out sets joined the fit in
		// round 9.
		{"shopping", "testdata/blind/kb-shopping.json", "testdata/blind/queries-shopping.jsonl", 0.95, 0.66},       // 0.896 / 0.871 → 0.974 / 0.677
		{"aftersales", "testdata/blind/kb-aftersales.json", "testdata/blind/queries-aftersales.jsonl", 0.95, 0.76}, // 0.958 / 0.781 → 0.966 / 0.781
		{"service", "testdata/blind/kb-service.json", "testdata/blind/queries-service.jsonl", 0.96, 0.73},          // 0.969 / 0.825 → 0.979 / 0.750
		{"store", "testdata/blind/kb-store.json", "testdata/blind/queries-store.jsonl", 0.93, 0.90},                // 0.893 / 0.880 → 0.947 / 0.920
		{"fresh", "testdata/blind/kb-fresh.json", "testdata/blind/queries-fresh.jsonl", 0.89, 0.88},                // 0.825 / 0.850 → 0.905 / 0.900
		{"dev base, buyers", "testdata/faq-dev.json", "testdata/blind/queries-dev-buyers.jsonl", 0.85, 0.91},       // 0.909 / 0.929 → 0.873 / 0.929
		{"dev base, buyers 2", "testdata/faq-dev.json", "testdata/blind/queries-dev-buyers2.jsonl", 0.84, 0.91},    // 0.857 / 0.786 → 0.857 / 0.929
		{"refund2", "testdata/blind/kb-refund2.json", "testdata/blind/queries-refund2.jsonl", 0.85, 0.91},          // 0.917 / 0.800 → 0.867 / 0.933
		{"snackshop", "testdata/blind/kb-snackshop.json", "testdata/blind/queries-snackshop.jsonl", 0.84, 0.73},    // 0.738 / 0.875 → 0.862 / 0.750
		{"platforms", "testdata/blind/kb-platforms.json", "testdata/blind/queries-platforms.jsonl", 0.94, 0.91},    // 0.907 / 1.000 → 0.963 / 0.929
		// Round 9's sets by other writers, in the development set's
		// style. The first three had their misses read (round 9's words
		// came from them); the next three were read only after the
		// words were chosen, and are in the cut's fit.
		{"appliance", "testdata/blind/kb-appliance.json", "testdata/blind/queries-appliance.jsonl", 0.95, 0.90},    // 0.897 / 0.917 → 0.966 / 0.917
		{"platforms4", "testdata/blind/kb-platforms4.json", "testdata/blind/queries-platforms4.jsonl", 0.94, 0.80}, // 0.889 / 0.818 → 0.963 / 0.818
		{"beauty", "testdata/blind/kb-beauty.json", "testdata/blind/queries-beauty.jsonl", 0.86, 0.81},             // 0.930 / 0.917 → 0.877 / 0.833
		{"owner", "testdata/blind/kb-owner.json", "testdata/blind/queries-owner.jsonl", 0.97, 0.90},                // 0.890 / 0.917 → 0.986 / 0.917
		{"baby", "testdata/blind/kb-baby.json", "testdata/blind/queries-baby.jsonl", 0.91, 0.98},                   // 0.945 / 1.000 → 0.927 / 1.000
		{"qa", "testdata/blind/kb-qa.json", "testdata/blind/queries-qa.jsonl", 0.83, 0.89},                         // 0.815 / 0.909 → 0.846 / 0.909
		// Round 9's held-out sets.
		{"household (held out)", "testdata/blind/kb-household.json", "testdata/blind/queries-household.jsonl", 0.84, 0.98},    // 0.848 / 0.909 → 0.864 / 1.000
		{"outdoor (held out)", "testdata/blind/kb-outdoor.json", "testdata/blind/queries-outdoor.jsonl", 0.88, 0.98},          // 0.831 / 0.818 → 0.898 / 1.000
		{"acceptance (held out)", "testdata/blind/kb-acceptance.json", "testdata/blind/queries-acceptance.jsonl", 0.93, 0.80}, // 0.965 / 0.909 → 0.947 / 0.818
		// Round 10's sets, closest to the development set's own make-up
		// (two questions an entry, 6-8 unanswerable and mostly off-topic).
		// helpdesk, apparel, freshfood, skincare, furniture, channels,
		// accessories, luggage, helpcentre, motherbaby and teashop were
		// read; digital, fourplatforms and livestream are held out.
		{"helpdesk", "testdata/blind/kb-helpdesk.json", "testdata/blind/queries-helpdesk.jsonl", 0.89, 0.98},                           // 0.781 / 1.000 → 0.906 / 1.000
		{"apparel", "testdata/blind/kb-apparel.json", "testdata/blind/queries-apparel.jsonl", 0.90, 0.98},                              // 0.806 / 0.857 → 0.917 / 1.000
		{"freshfood", "testdata/blind/kb-freshfood.json", "testdata/blind/queries-freshfood.jsonl", 0.86, 0.98},                        // 0.812 / 0.875 → 0.875 / 1.000
		{"skincare", "testdata/blind/kb-skincare.json", "testdata/blind/queries-skincare.jsonl", 0.89, 0.84},                           // 0.824 / 0.857 → 0.912 / 0.857
		{"furniture", "testdata/blind/kb-furniture.json", "testdata/blind/queries-furniture.jsonl", 0.90, 0.86},                        // 0.778 / 0.875 → 0.917 / 0.875
		{"channels", "testdata/blind/kb-channels.json", "testdata/blind/queries-channels.jsonl", 0.95, 0.84},                           // 0.944 / 0.714 → 0.972 / 0.857
		{"accessories", "testdata/blind/kb-accessories.json", "testdata/blind/queries-accessories.jsonl", 0.98, 0.98},                  // 0.941 / 1.000 → 1.000 / 1.000
		{"luggage", "testdata/blind/kb-luggage.json", "testdata/blind/queries-luggage.jsonl", 0.98, 0.98},                              // 0.938 / 1.000 → 1.000 / 1.000
		{"helpcentre", "testdata/blind/kb-helpcentre.json", "testdata/blind/queries-helpcentre.jsonl", 0.85, 0.98},                     // 0.833 / 0.875 → 0.867 / 1.000
		{"motherbaby", "testdata/blind/kb-motherbaby.json", "testdata/blind/queries-motherbaby.jsonl", 0.82, 0.98},                     // 0.812 / 1.000 → 0.844 / 1.000
		{"teashop", "testdata/blind/kb-teashop.json", "testdata/blind/queries-teashop.jsonl", 0.89, 0.86},                              // 0.938 / 0.875 → 0.906 / 0.875
		{"digital (held out)", "testdata/blind/kb-digital.json", "testdata/blind/queries-digital.jsonl", 0.81, 0.98},                   // 0.700 / 1.000 → 0.833 / 1.000
		{"fourplatforms (held out)", "testdata/blind/kb-fourplatforms.json", "testdata/blind/queries-fourplatforms.jsonl", 0.86, 0.98}, // 0.775 / 0.857 → 0.875 / 1.000
		{"livestream (held out)", "testdata/blind/kb-livestream.json", "testdata/blind/queries-livestream.jsonl", 0.84, 0.98},          // 0.750 / 0.875 → 0.861 / 1.000
		// Round 11's sets, made the same way. petshop and selfservice
		// were read; refundhelp and kitchen are held out (kitchen's base
		// is a shop's buying questions, not refunds).
		{"petshop", "testdata/blind/kb-petshop.json", "testdata/blind/queries-petshop.jsonl", 0.67, 0.84},                     // 0.406 / 1.000 → 0.688 / 0.857
		{"selfservice", "testdata/blind/kb-selfservice.json", "testdata/blind/queries-selfservice.jsonl", 0.70, 0.98},         // 0.719 / 1.000 → 0.719 / 1.000
		{"refundhelp (held out)", "testdata/blind/kb-refundhelp.json", "testdata/blind/queries-refundhelp.jsonl", 0.98, 0.98}, // 0.967 / 1.000 → 1.000 / 1.000
		{"kitchen (held out)", "testdata/blind/kb-kitchen.json", "testdata/blind/queries-kitchen.jsonl", 0.75, 0.86},          // 0.567 / 0.875 → 0.767 / 0.875
		// Round 12's sets, made the same way, first measured on round
		// 11's code. sportswear was read; generalstore's and oafaq's
		// unanswerable questions were read, their answered ones not;
		// gadgets is held out.
		{"sportswear", "testdata/blind/kb-sportswear.json", "testdata/blind/queries-sportswear.jsonl", 0.92, 0.98},                  // 0.781 / 0.571 → 0.938 / 1.000
		{"generalstore (held out)", "testdata/blind/kb-generalstore.json", "testdata/blind/queries-generalstore.jsonl", 0.84, 0.84}, // 0.778 / 0.429 → 0.861 / 0.857
		{"oafaq (held out)", "testdata/blind/kb-oafaq.json", "testdata/blind/queries-oafaq.jsonl", 0.96, 0.84},                      // 0.900 / 0.429 → 0.975 / 0.857
		{"gadgets (held out)", "testdata/blind/kb-gadgets.json", "testdata/blind/queries-gadgets.jsonl", 0.83, 0.69},                // 0.735 / 0.714 → 0.853 / 0.714
		// The freshest two, written last and measured only on round 11's
		// code and on each of round 12's steps.
		{"womenswear (held out)", "testdata/blind/kb-womenswear.json", "testdata/blind/queries-womenswear.jsonl", 0.95, 0.98}, // 0.833 / 0.857 → 0.972 / 1.000
		{"snacktea (held out)", "testdata/blind/kb-snacktea.json", "testdata/blind/queries-snacktea.jsonl", 0.79, 0.98},       // 0.781 / 0.571 → 0.812 / 1.000
		// Written at the end of round 12 and measured only on round 11's
		// code and on the shipped one, misses never printed.
		{"cosmetics (held out)", "testdata/blind/kb-cosmetics.json", "testdata/blind/queries-cosmetics.jsonl", 0.92, 0.98}, // 0.889 / 0.714 → 0.944 / 1.000
		{"phones (held out)", "testdata/blind/kb-phones.json", "testdata/blind/queries-phones.jsonl", 0.89, 0.84},          // 0.912 / 1.000 → 0.912 / 0.857
		{"homegoods (held out)", "testdata/blind/kb-homegoods.json", "testdata/blind/queries-homegoods.jsonl", 0.89, 0.69}, // 0.875 / 0.714 → 0.906 / 0.714
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openBase(t, nil)
			if _, err := b.ReplaceAll(context.Background(), readEntries(t, tt.kb), "test", tt.name); err != nil {
				t.Fatal(err)
			}
			answered, abstained := accuracy(t, b, readQueries(t, tt.queries))
			t.Logf("%s: top-1 accuracy %.3f on answerable, abstention accuracy %.3f", tt.name, answered, abstained)
			if answered < tt.minAnswered || abstained < tt.minAbst {
				t.Errorf("%s: answered %.3f (want ≥ %.2f), abstained %.3f (want ≥ %.2f)", tt.name, answered, tt.minAnswered, abstained, tt.minAbst)
			}
		})
	}
}

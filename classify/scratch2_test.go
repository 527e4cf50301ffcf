package classify

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/refundbot/refundbot"
)

func TestScratchGrid(t *testing.T) {
	if os.Getenv("SCRATCH_GRID") == "" {
		t.Skip()
	}
	us, _ := corpus()
	k := 5
	rng := rand.New(rand.NewPCG(1, 2))
	perm := rng.Perm(len(us))
	var ms []*models
	var tests [][]Utterance
	for fold := range k {
		var train, test []Utterance
		for i, j := range perm {
			if i%k == fold {
				test = append(test, us[j])
			} else {
				train = append(train, us[j])
			}
		}
		ms = append(ms, trainModels(train))
		tests = append(tests, test)
	}
	miss := os.Getenv("SCRATCH_MISS") != ""
	rsl, msl, resl := []float64{0.85, 0.9, 0.95}, []float64{0.7, 0.8, 0.9, 0.95, 0.99}, []float64{0.5, 0.7, 0.9, 0.95, 0.99}
	if miss {
		rsl, msl, resl = []float64{0.9}, []float64{0.9}, []float64{0.5}
	}
	for _, rs := range rsl {
		for _, mss := range msl {
			for _, res := range resl {
				rulesSure, modelSure, reasonSure = rs, mss, res
				rep := Report{Confusion: map[refundbot.Intent]map[refundbot.Intent]int{}, Sources: map[string]int{}}
				for f := range k {
					r := &Rules{m: ms[f]}
					for i, u := range tests[f] {
						st := u.State
						if st == "" {
							st = refundbot.StateIdle
						}
						rep.score(i, u, r.Understand(refundbot.ClassifyInput{Text: u.Text, State: st, Asking: u.Asking}))
					}
				}
				fmt.Printf("rs %.2f ms %.2f res %.2f intent %.3f reason %.3f sum %.3f\n", rs, mss, res, rep.Intent.Accuracy(), rep.Reason.Accuracy(), rep.Intent.Accuracy()+rep.Reason.Accuracy())
				if miss {
					rep.Write(os.Stdout)
					return
				}
			}
		}
	}
}

package classify_test

import (
	"os"
	"testing"

	"github.com/refundbot/refundbot/classify"
)

func TestScratchEval(t *testing.T) {
	p := os.Getenv("SCRATCH_FILE")
	if p == "" {
		t.Skip()
	}
	rep := evalFile(t, p, classify.NewRules())
	rep.Write(os.Stdout)
}

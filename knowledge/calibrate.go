package knowledge

import "slices"

// maxProbes caps the phrasings calibration scores, so that replacing a
// base of ten thousand entries costs what a few hundred searches cost.
const maxProbes = 300

// probe is how one phrasing scores against the base without it: its own
// entry (kept with its other phrasings) and the best other entry.
type probe struct {
	own, other float64
}

// probes scores up to limit phrasings of entries that have more than one,
// each as a question against the base with that phrasing left out. The
// phrasings are taken in entry id order, evenly spaced when there are more
// than limit, so the result depends only on the entries.
func (ix *index) probes(limit int) []probe {
	type ref struct {
		id    string
		field int
	}
	ix.mu.RLock()
	var refs []ref
	ids := make([]string, 0, len(ix.byID))
	for id := range ix.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		d := ix.docs[ix.byID[id]]
		if len(d.fields) < 2 {
			continue
		}
		for i := range d.fields {
			refs = append(refs, ref{id, i})
		}
	}
	ix.mu.RUnlock()
	if len(refs) > limit {
		picked := make([]ref, limit)
		for i := range picked {
			picked[i] = refs[i*len(refs)/limit]
		}
		refs = picked
	}
	out := make([]probe, 0, len(refs))
	for _, r := range refs {
		ix.mu.RLock()
		slot, ok := ix.byID[r.id]
		if !ok {
			ix.mu.RUnlock()
			continue
		}
		d := ix.docs[slot]
		text := d.entry.Question
		if r.field > 0 {
			text = d.entry.Similar[r.field-1]
		}
		hits := ix.searchLocked(text, candidates, skipField{slot: slot, doc: d.withoutField(r.field)})
		ix.mu.RUnlock()
		var p probe
		for _, h := range hits {
			if h.Entry.ID == r.id {
				p.own = max(p.own, h.Score)
			} else {
				p.other = max(p.other, h.Score)
			}
		}
		out = append(out, p)
	}
	return out
}

// The adaptive cut. One score threshold cannot serve every base: where a
// base's buyers use words its entries lack (the store set) right answers
// score low, and where entries share a topic and differ in their ask
// (after-sales) wrong entries score high. Both show in the base itself:
// score each of its phrasings as a question against the base without
// that phrasing, and see how high the best wrong entry reaches. The cut
// is a line in the 70th percentile of those wrong-entry scores, clamped,
// its numbers chosen together with the length rule below on the labelled
// bases, each also scored by a rule fitted on the others
// (testdata/blind/README.md, rounds 5, 6, 8 and 9; adaptive_test.go).
// Most bases reach the cap; the line lowers the cut only for bases whose
// own phrasings share few words, and the floor keeps it from the 0.06 a
// baby shop's and a beauty shop's bases once got, which let in every
// question sharing one topic word with an entry.
const (
	cutQuantile  = 0.7
	cutSlope     = 3.0
	cutIntercept = 0.0
	cutLow       = 0.05
	cutHigh      = 0.22
	// minProbes is the fewest phrasings the cut is computed from; a base
	// with fewer entries that have more than one phrasing keeps
	// DefaultThreshold, as a percentile of a handful says little.
	minProbes = 20
)

// The cut above is for a question of up to cutRunes characters; longer
// ones get a lower one (questionCut), fitted with the rule above.
const (
	cutRunes = 8
	cutPower = 2.0
	// minCut is the least cut of any question, however long.
	minCut = 0.02
)

// adaptiveThreshold is the cut for the base the index holds.
func (ix *index) adaptiveThreshold() float64 {
	return cutFrom(ix.probes(maxProbes))
}

// cutFrom is the cut the probes of a base call for.
func cutFrom(ps []probe) float64 {
	if len(ps) < minProbes {
		return DefaultThreshold
	}
	other := make([]float64, len(ps))
	for i, p := range ps {
		other[i] = p.other
	}
	return min(max(cutIntercept+cutSlope*quantile(other, cutQuantile), cutLow), cutHigh)
}

// quantile is the q-quantile of xs by linear interpolation between order
// statistics; xs is sorted in place.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	pos := q * float64(len(xs)-1)
	lo := int(pos)
	hi := min(lo+1, len(xs)-1)
	return xs[lo] + (xs[hi]-xs[lo])*(pos-float64(lo))
}

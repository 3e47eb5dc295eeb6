package template

import "strings"

// Suggest returns the candidate closest to s (edit distance at most 2, or a
// case-insensitive match), or "", for "did you mean" hints.
func Suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		d := 0
		if !strings.EqualFold(s, c) {
			d = Distance(strings.ToLower(s), strings.ToLower(c))
		}
		// A tie goes to the lexically first, so that the answer does not
		// depend on the candidates' order (a map's keys, say).
		if d < bestDist || d == bestDist && best != "" && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the edit (Levenshtein) distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

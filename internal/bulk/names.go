package bulk

import (
	"hash/maphash"
	"math/bits"
)

// nameSet remembers which thing names were seen, and on which line first,
// in 12 bytes a name: a 64-bit hash and a 32-bit line number in open
// addressing with linear probing. Two different names are taken for one
// only if their 64-bit hashes collide, which for ten million names happens
// with a probability of about 3 in a million.
type nameSet struct {
	seed   maphash.Seed
	hashes []uint64 // 0 means empty
	lines  []uint32
	n      int
}

const maxLoad = 0.8

func newNameSet(expected int) *nameSet {
	s := &nameSet{seed: maphash.MakeSeed()}
	s.alloc(max(int(float64(expected)/maxLoad)+1, 1024))
	return s
}

func (s *nameSet) alloc(capacity int) {
	s.hashes = make([]uint64, capacity)
	s.lines = make([]uint32, capacity)
}

// seenTwice marks, in a stored line number, a name already seen on more
// than one line (line numbers stay below 2^31).
const seenTwice = 1 << 31

// add records that name appears on line; it returns the first line of the
// name when it was seen before, and whether it was seen on more than one
// line before (so that a name is counted as duplicated once).
func (s *nameSet) add(name string, line uint32) (first uint32, seen, again bool) {
	h := maphash.String(s.seed, name) | 1 // never 0
	if float64(s.n+1) > maxLoad*float64(len(s.hashes)) {
		s.grow()
	}
	i := s.index(h)
	for {
		switch s.hashes[i] {
		case 0:
			s.hashes[i], s.lines[i] = h, line&^seenTwice
			s.n++
			return 0, false, false
		case h:
			l := s.lines[i]
			s.lines[i] |= seenTwice
			return l &^ seenTwice, true, l&seenTwice != 0
		}
		if i++; i == len(s.hashes) {
			i = 0
		}
	}
}

// index maps a hash onto the table without a power-of-two size.
func (s *nameSet) index(h uint64) int {
	hi, _ := bits.Mul64(h, uint64(len(s.hashes)))
	return int(hi)
}

func (s *nameSet) grow() {
	oldH, oldL := s.hashes, s.lines
	s.alloc(len(oldH) * 3 / 2)
	for j, h := range oldH {
		if h == 0 {
			continue
		}
		i := s.index(h)
		for s.hashes[i] != 0 {
			if i++; i == len(s.hashes) {
				i = 0
			}
		}
		s.hashes[i], s.lines[i] = h, oldL[j]
	}
}

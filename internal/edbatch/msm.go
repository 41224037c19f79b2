package edbatch

// msm sets out = Σ z_i·q_i for 128-bit scalars z_i (little-endian 64-bit
// halves), with Pippenger's bucket method and signed window digits: each
// point costs one mixed addition per window, and each window a running
// sum over its 2^(c−1) buckets.
func msm(out *extended, qs []niels, zs [][2]uint64) {
	out.identity()
	n := len(qs)
	if n == 0 {
		return
	}
	c := windowBits(n)
	windows := 128/c + 1 // the top window takes the last carry
	half := 1 << (c - 1)
	digits := make([]int16, n*windows)
	mask := uint64(1)<<c - 1
	for i, z := range zs {
		carry := uint64(0)
		for w := range windows {
			pos := uint(w * c)
			var v uint64
			switch {
			case pos >= 128:
			case pos >= 64:
				v = z[1] >> (pos - 64)
			default:
				v = z[0]>>pos | z[1]<<(64-pos)
			}
			v = v&mask + carry
			if v > uint64(half) {
				digits[i*windows+w] = int16(int64(v) - int64(1)<<c)
				carry = 1
			} else {
				digits[i*windows+w] = int16(v)
				carry = 0
			}
		}
	}

	buckets := make([]extended, half)
	filled := make([]bool, half)
	var r completed
	started := false
	for w := windows - 1; w >= 0; w-- {
		if started {
			out.doubleN(c)
		}
		clear(filled)
		nonEmpty := false
		for i := range qs {
			dg := int(digits[i*windows+w])
			if dg == 0 {
				continue
			}
			neg := dg < 0
			if neg {
				dg = -dg
			}
			b := &buckets[dg-1]
			if !filled[dg-1] {
				b.fromNiels(&qs[i], neg)
				filled[dg-1] = true
				nonEmpty = true
				continue
			}
			r.addNiels(b, &qs[i], neg)
			b.fromCompleted(&r)
		}
		if !nonEmpty {
			continue
		}
		// Σ_b (b+1)·bucket[b] as a sum of running sums.
		var running, total extended
		runningSet, totalSet := false, false
		for b := half - 1; b >= 0; b-- {
			if filled[b] {
				if runningSet {
					running.addExtended(&buckets[b])
				} else {
					running, runningSet = buckets[b], true
				}
			}
			if runningSet {
				if totalSet {
					total.addExtended(&running)
				} else {
					total, totalSet = running, true
				}
			}
		}
		if started {
			out.addExtended(&total)
		} else {
			*out, started = total, true
		}
	}
}

// windowBits picks the window width c that minimises the estimated number
// of field multiplications: per window, 7 for each point (mixed addition)
// and 18 for each of the 2^(c−1) buckets (two additions).
func windowBits(n int) int {
	best, bestCost := 2, -1
	for c := 2; c <= 16; c++ {
		cost := (128/c + 1) * (7*n + 18*(1<<(c-1)) + 8*c)
		if bestCost < 0 || cost < bestCost {
			best, bestCost = c, cost
		}
	}
	return best
}

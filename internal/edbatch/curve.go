package edbatch

// Point arithmetic on edwards25519 in the representations of
// filippo.io/edwards25519 (extended, completed and "Niels" forms of
// https://eprint.iacr.org/2008/522), rewritten here on its exported field
// package because the Point API offers neither mixed additions nor access
// to the bucket accumulators a Pippenger multiplication needs. The
// formulas are those of filippo.io/edwards25519 (BSD-3-Clause, The Go
// Authors).

import (
	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// extended is a point (X:Y:Z:T) with x = X/Z, y = Y/Z, xy = T/Z.
type extended struct{ X, Y, Z, T field.Element }

// completed is the result of an addition or a doubling, (X:Z, Y:T).
type completed struct{ X, Y, Z, T field.Element }

// projective is (X:Y:Z) without T, enough to double.
type projective struct{ X, Y, Z field.Element }

// cached is an extended point prepared as the second operand of an
// addition.
type cached struct{ YplusX, YminusX, Z, T2d field.Element }

// niels is an affine point (Z = 1) prepared as the second operand of a
// mixed addition: y+x, y−x, 2d·x·y.
type niels struct{ YplusX, YminusX, T2d field.Element }

var (
	feOne = new(field.Element).One()
	// d is the constant of the curve equation −x² + y² = 1 + d·x²·y².
	d, _ = new(field.Element).SetBytes([]byte{
		0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75,
		0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
		0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c,
		0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52})
	d2   = new(field.Element).Add(d, d)
	invD = new(field.Element).Invert(d)
)

func (v *extended) identity() {
	v.X.Zero()
	v.Y.One()
	v.Z.One()
	v.T.Zero()
}

func (v *extended) isIdentity() bool {
	var zero field.Element
	return v.X.Equal(zero.Zero()) == 1 && v.Y.Equal(&v.Z) == 1
}

func (v *extended) fromCompleted(p *completed) {
	v.X.Multiply(&p.X, &p.T)
	v.Y.Multiply(&p.Y, &p.Z)
	v.Z.Multiply(&p.Z, &p.T)
	v.T.Multiply(&p.X, &p.Y)
}

func (v *projective) fromCompleted(p *completed) {
	v.X.Multiply(&p.X, &p.T)
	v.Y.Multiply(&p.Y, &p.Z)
	v.Z.Multiply(&p.Z, &p.T)
}

func (v *cached) fromExtended(p *extended) {
	v.YplusX.Add(&p.Y, &p.X)
	v.YminusX.Subtract(&p.Y, &p.X)
	v.Z.Set(&p.Z)
	v.T2d.Multiply(&p.T, d2)
}

// fromNiels sets v to the affine point q, or to −q when neg.
func (v *extended) fromNiels(q *niels, neg bool) {
	// With Z = 2: X = 2x = (y+x) − (y−x), Y = 2y, T = 2xy = T2d/d.
	v.Z.Add(feOne, feOne)
	v.Y.Add(&q.YplusX, &q.YminusX)
	v.T.Multiply(&q.T2d, invD)
	if neg {
		v.X.Subtract(&q.YminusX, &q.YplusX)
		v.T.Negate(&v.T)
	} else {
		v.X.Subtract(&q.YplusX, &q.YminusX)
	}
}

// add sets v = p + q.
func (v *completed) add(p *extended, q *cached) {
	var YplusX, YminusX, PP, MM, TT2d, ZZ2 field.Element
	YplusX.Add(&p.Y, &p.X)
	YminusX.Subtract(&p.Y, &p.X)
	PP.Multiply(&YplusX, &q.YplusX)
	MM.Multiply(&YminusX, &q.YminusX)
	TT2d.Multiply(&p.T, &q.T2d)
	ZZ2.Multiply(&p.Z, &q.Z)
	ZZ2.Add(&ZZ2, &ZZ2)
	v.X.Subtract(&PP, &MM)
	v.Y.Add(&PP, &MM)
	v.Z.Add(&ZZ2, &TT2d)
	v.T.Subtract(&ZZ2, &TT2d)
}

// addNiels sets v = p + q, or p − q when neg.
func (v *completed) addNiels(p *extended, q *niels, neg bool) {
	var YplusX, YminusX, PP, MM, TT2d, Z2 field.Element
	YplusX.Add(&p.Y, &p.X)
	YminusX.Subtract(&p.Y, &p.X)
	if neg {
		PP.Multiply(&YplusX, &q.YminusX)
		MM.Multiply(&YminusX, &q.YplusX)
	} else {
		PP.Multiply(&YplusX, &q.YplusX)
		MM.Multiply(&YminusX, &q.YminusX)
	}
	TT2d.Multiply(&p.T, &q.T2d)
	Z2.Add(&p.Z, &p.Z)
	v.X.Subtract(&PP, &MM)
	v.Y.Add(&PP, &MM)
	if neg {
		v.Z.Subtract(&Z2, &TT2d)
		v.T.Add(&Z2, &TT2d)
	} else {
		v.Z.Add(&Z2, &TT2d)
		v.T.Subtract(&Z2, &TT2d)
	}
}

// double sets v = 2p.
func (v *completed) double(p *projective) {
	var XX, YY, ZZ2, XplusYsq field.Element
	XX.Square(&p.X)
	YY.Square(&p.Y)
	ZZ2.Square(&p.Z)
	ZZ2.Add(&ZZ2, &ZZ2)
	XplusYsq.Add(&p.X, &p.Y)
	XplusYsq.Square(&XplusYsq)
	v.Y.Add(&YY, &XX)
	v.Z.Subtract(&YY, &XX)
	v.X.Subtract(&XplusYsq, &v.Y)
	v.T.Subtract(&ZZ2, &v.Z)
}

// addExtended sets v = v + q.
func (v *extended) addExtended(q *extended) {
	var qc cached
	var r completed
	qc.fromExtended(q)
	r.add(v, &qc)
	v.fromCompleted(&r)
}

// doubleN sets v = 2ⁿ·v, n ≥ 1.
func (v *extended) doubleN(n int) {
	var p projective
	var r completed
	p.X, p.Y, p.Z = v.X, v.Y, v.Z
	for i := 0; i < n; i++ {
		r.double(&p)
		if i < n-1 {
			p.fromCompleted(&r)
		}
	}
	v.fromCompleted(&r)
}

func (v *extended) fromPoint(p *edwards25519.Point) {
	X, Y, Z, T := p.ExtendedCoordinates()
	v.X, v.Y, v.Z, v.T = *X, *Y, *Z, *T
}

// pMinus is 2²⁵⁵ − 19, little-endian.
var pMinus = [32]byte{0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}

// canonicalY reports whether the y coordinate of the encoding b (its sign
// bit cleared) is below p.
func canonicalY(b []byte) bool {
	if b[31]&0x7f != 0x7f {
		return true
	}
	for i := 30; i >= 1; i-- {
		if b[i] != 0xff {
			return true
		}
	}
	return b[0] < pMinus[0]
}

// decodeR decodes the canonical encoding of a point of not small order
// into its affine Niels form, as crypto/ed25519 decodes points but
// refusing the encodings crypto/ed25519 could never produce for R (y ≥ p,
// or x = 0 with the sign bit set).
func decodeR(q *niels, b []byte) bool {
	if len(b) != 32 || !canonicalY(b) || isSmallOrderEncoding(b) {
		return false
	}
	var y, y2, u, w, x field.Element
	y.SetBytes(b)
	y2.Square(&y)
	u.Subtract(&y2, feOne)
	w.Multiply(&y2, d)
	w.Add(&w, feOne)
	if _, ok := x.SqrtRatio(&u, &w); ok == 0 {
		return false
	}
	if b[31]>>7 == 1 {
		var zero field.Element
		if x.Equal(&zero) == 1 {
			return false
		}
		x.Negate(&x)
	}
	q.YplusX.Add(&y, &x)
	q.YminusX.Subtract(&y, &x)
	q.T2d.Multiply(&x, &y)
	q.T2d.Multiply(&q.T2d, d2)
	return true
}

// smallOrder holds the canonical encodings of the eight points of order
// dividing 8, computed once: T is the l-multiple of a point of order 8l,
// and the list is 0, T, 2T, …, 7T.
var smallOrder = func() [8][32]byte {
	var out [8][32]byte
	lMinus1, _ := edwards25519.NewScalar().SetCanonicalBytes([]byte{
		0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10})
	var enc [32]byte
	for y := byte(2); ; y++ {
		enc[0] = y
		q, err := new(edwards25519.Point).SetBytes(enc[:])
		if err != nil {
			continue
		}
		t := new(edwards25519.Point).ScalarMult(lMinus1, q) // [l−1]q
		t.Add(t, q)                                         // [l]q, in the torsion subgroup
		t4 := new(edwards25519.Point).Double(t)
		t4.Double(t4)
		if t4.Equal(edwards25519.NewIdentityPoint()) == 1 {
			continue // order below 8
		}
		m := edwards25519.NewIdentityPoint()
		for k := range out {
			copy(out[k][:], m.Bytes())
			m.Add(m, t)
		}
		return out
	}
}()

func isSmallOrderEncoding(b []byte) bool {
	for i := range smallOrder {
		if string(b) == string(smallOrder[i][:]) {
			return true
		}
	}
	return false
}

// isSmallOrder reports whether [8]p is the identity.
func isSmallOrder(p *edwards25519.Point) bool {
	return new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1
}

package node

import "math/big"

// Redis keeps INCRBYFLOAT values as C long doubles: on x86-64 the 80-bit
// extended format with a 64-bit mantissa and a 15-bit exponent. Go has no
// such type, so big.Float at 64 bits of precision stands in for it, with
// the exponent range and subnormals applied by hand.

const (
	ldPrec   = 64
	ldMaxExp = 16384  // |x| >= 2^16384 overflows (big.Float exponent: x = m*2^exp, 0.5 <= m < 1)
	ldMinExp = -16381 // smallest normal is 2^-16382 = 0.5*2^-16381
	// ldMaxChars bounds a parsable argument, like MAX_LONG_DOUBLE_CHARS.
	ldMaxChars = 5 * 1024
)

const errNaNOrInf = "ERR increment would produce NaN or Infinity"

// longDouble is a finite or infinite extended-precision value.
type longDouble struct{ f *big.Float }

func isCSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// parseLongDouble parses b as Redis's string2ld does: the whole of b must
// be a number strtold accepts (decimal or hex, optional sign, "inf" or
// "infinity"), no leading space, no NaN, no overflow and no underflow to
// zero.
func parseLongDouble(b []byte) (longDouble, bool) {
	if len(b) == 0 || len(b) >= ldMaxChars || isCSpace(b[0]) {
		return longDouble{}, false
	}
	s := b
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if isInfWord(s) {
		f := new(big.Float).SetInf(neg)
		return longDouble{f}, true
	}
	base := 10
	body := s
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		base = 16
		body = s[2:]
	}
	if !validFloatBody(body, base) {
		return longDouble{}, false
	}
	text := string(s)
	if base == 10 {
		text = string(body)
	}
	parseBase := base
	if base == 16 {
		parseBase = 0 // big wants the 0x prefix with base 0 for hex mantissas
	}
	f, _, err := big.ParseFloat(text, parseBase, ldPrec, big.ToNearestEven)
	if err != nil {
		return longDouble{}, false
	}
	if neg {
		f.Neg(f)
	}
	v, ok := roundLongDouble(f)
	if !ok || (v.IsInf() && !f.IsInf()) {
		return longDouble{}, false // overflow: strtold's ERANGE with HUGE_VAL
	}
	if v.Sign() == 0 && f.Sign() != 0 {
		return longDouble{}, false // underflow to zero: ERANGE
	}
	return longDouble{v}, true
}

func isInfWord(s []byte) bool {
	return equalFold(s, "inf") || equalFold(s, "infinity")
}

// validFloatBody checks the unsigned part of a strtold number after an
// optional 0x: digits with at most one '.', at least one digit, then an
// optional exponent (e for decimal, p for hex) with at least one digit.
func validFloatBody(s []byte, base int) bool {
	isDigit := func(c byte) bool {
		if base == 16 {
			return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
		}
		return '0' <= c && c <= '9'
	}
	i, digits := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	expChar := byte('e')
	if base == 16 {
		expChar = 'p'
	}
	if s[i]|0x20 != expChar {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i > start && i == len(s)
}

// roundLongDouble rounds f to the extended format: 64 mantissa bits for
// normal numbers, fewer for subnormals, infinity past the largest value.
// ok is false only for values that round to infinity.
func roundLongDouble(f *big.Float) (*big.Float, bool) {
	if f.IsInf() {
		return new(big.Float).Set(f), true
	}
	if f.Sign() == 0 {
		return new(big.Float).SetPrec(ldPrec).Set(f), true
	}
	exp := f.MantExp(nil)
	prec := ldPrec
	if exp < ldMinExp {
		prec = ldPrec - (ldMinExp - exp)
	}
	if prec <= 0 {
		// Below half the smallest subnormal: rounds to zero (ties and the
		// last half-ulp are not worth modelling).
		z := new(big.Float).SetPrec(ldPrec)
		if f.Signbit() {
			z.Neg(z)
		}
		return z, true
	}
	v := new(big.Float).SetPrec(uint(prec)).SetMode(big.ToNearestEven).Set(f)
	v.SetPrec(ldPrec)
	if v.MantExp(nil) > ldMaxExp {
		return new(big.Float).SetInf(v.Signbit()), false
	}
	return v, true
}

// addLongDouble returns a+b in extended precision; ok is false when the
// sum is NaN or infinite.
func addLongDouble(a, b longDouble) (longDouble, bool) {
	if a.f.IsInf() || b.f.IsInf() {
		return longDouble{}, false // inf+x is inf, inf-inf is NaN: both refused
	}
	// The exact sum may need more bits than either operand; compute it
	// (nearly) exactly, then round once to the target format.
	sum := new(big.Float).SetPrec(exactSumPrec(a.f, b.f)).SetMode(big.ToNearestEven)
	sum.Add(a.f, b.f)
	v, ok := roundLongDouble(sum)
	if !ok || v.IsInf() {
		return longDouble{}, false
	}
	return longDouble{v}, true
}

// exactSumPrec is a precision at which a+b is computed without rounding.
func exactSumPrec(a, b *big.Float) uint {
	if a.Sign() == 0 || b.Sign() == 0 {
		return ldPrec
	}
	ea, eb := a.MantExp(nil), b.MantExp(nil)
	d := ea - eb
	if d < 0 {
		d = -d
	}
	if d > 2*ldPrec+4 {
		// The smaller operand only affects rounding; a few guard bits
		// beyond 64 plus a sticky bit are enough.
		d = 2*ldPrec + 4
	}
	return uint(ldPrec + d + 2)
}

// formatLongDoubleHuman formats v as ld2string's LD_STR_HUMAN mode:
// "%.17Lf" with trailing zeros (and a trailing '.') removed, "-0" as "0".
func formatLongDoubleHuman(v longDouble) string {
	if v.f.IsInf() {
		if v.f.Signbit() {
			return "-inf"
		}
		return "inf"
	}
	s := v.f.Text('f', 17)
	end := len(s)
	for end > 0 && s[end-1] == '0' {
		end--
	}
	if end > 0 && s[end-1] == '.' {
		end--
	}
	s = s[:end]
	if s == "-0" {
		s = "0"
	}
	return s
}

func zeroLongDouble() *big.Float { return new(big.Float).SetPrec(ldPrec) }

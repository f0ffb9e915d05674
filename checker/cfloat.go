package checker

import (
	"strconv"
	"strings"
)

// parseCFloat parses s as C's strtod and strtold do when Redis requires
// them to consume the whole string, without their leading whitespace. Go's
// strconv.ParseFloat accepts what C does not ("8_6" is 86 to Go, digit
// separators being Go syntax) and refuses what C accepts (a hexadecimal
// mantissa without a 'p' exponent, "0x1A"), so a model that parsed values
// with it would expect INCRBYFLOAT to succeed where Redis refuses.
func parseCFloat(s string) (float64, error) {
	if strings.IndexByte(s, '_') >= 0 {
		return 0, &strconv.NumError{Func: "parseCFloat", Num: s, Err: strconv.ErrSyntax}
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) <= 1 && len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') && !strings.ContainsAny(body, "pP") {
		s += "p0"
	}
	return strconv.ParseFloat(s, 64)
}

// Package passgen generates the passwords that protect exports sent to an
// external recipient (R-ENC-1, R-ENC-2).
//
// # Alphabet
//
// [Alphabet] has 68 ASCII characters chosen to be read aloud, copied by hand
// and typed on a French AZERTY keyboard without errors:
//
//   - 24 lower-case letters: a-z without o and l;
//   - 24 upper-case letters: A-Z without O and I;
//   - 8 digits: 2-9 (no 0 or 1);
//   - 12 specials: ! $ % & * ( ) - _ = + ?
//
// Left out: the look-alikes 0 O o 1 l I; quotes ' " and the backquote; the
// backslash and the space; every character that needs AltGr on AZERTY
// (# { [ | ` \ ^ @ ] } ~). Each special is typed on AZERTY with at most Shift
// (! $ & * ( ) - _ = unshifted; % + ? with Shift) and also with at most Shift
// on QWERTY. Also left out, although typeable: < > (missing on some
// keyboards), and , ; . : / which read as punctuation when the password is
// dictated or written in a message.
//
// # Generation
//
// [Generate] draws every character independently and uniformly from
// [Alphabet] with crypto/rand, by rejection sampling (no modulo bias). A
// password must hold at least one lower-case letter, one upper-case letter,
// one digit and one special; when a draw misses a class the whole password
// is drawn again, so the result is uniform over the set of valid passwords.
// [Entropy] gives the exact entropy of that distribution in bits.
//
// The package returns the password to its caller and keeps nothing: showing
// it once and never writing it to disk is the caller's duty (R-ENC-2).
package passgen

// Package model holds the plain types the documents of package sheet are
// drawn from: a case with every fact the register sheet states ([Case] and
// its acts, exports, handovers, attachments, purges), the record of
// processing an export carries ([Art30]), and the input of each document
// ([Receipt], [RecipientLetter], [AnswerLetter], [RefusalLetter], [Label],
// [PasswordSheet], [Register]) with the [Options] shared by all.
//
// Package papers maps the procedure's cases onto them, texts already in the
// document's language; package sheet prints them. The types carry no
// rendering and import nothing but the standard library.
package model

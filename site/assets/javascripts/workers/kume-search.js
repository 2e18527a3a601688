/*
 * Küme Asistanı: Turkish-aware search for Material for MkDocs.
 *
 * Material's search worker (lunr.js) lower-cases with JavaScript's toLowerCase and keeps
 * diacritics, so "kumelenme" does not find "kümelenme", "ISBIRLIGI" becomes "isbirligi"
 * and "İşbirliği" becomes "i̇şbirliği" (i + combining dot), which matches nothing.
 * This worker loads Material's own worker (its URL comes in the "material" query
 * parameter, set by overrides/main.html) and folds both sides the same way as
 * eligibility.text.fold: every indexed word (by folding lunr tokens) and every query.
 */
"use strict"

var LETTERS = { "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u",
                "â": "a", "î": "i", "û": "u" }

/* Turkish lower case (İ→i, I→ı), then ASCII-fold Turkish letters and drop accents */
function foldTr(value) {
  return String(value).normalize("NFC")
    .replace(/İ/g, "i").replace(/I/g, "ı")
    .toLowerCase()
    .replace(/[çğıöşüâîû]/g, function (ch) { return LETTERS[ch] })
    .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
}

/* Queries: fold the text of every query message (type 2) before Material sees it */
var QUERY = 2
var addListener = self.addEventListener.bind(self)
self.addEventListener = function (type, listener, options) {
  if (type !== "message")
    return addListener(type, listener, options)
  return addListener(type, function (ev) {
    var message = ev.data
    if (message && message.type === QUERY && typeof message.data === "string")
      message = { type: message.type, data: foldTr(message.data) }
    return listener.call(this, { data: message })
  }, options)
}

var material = new URL(self.location.href).searchParams.get("material")
importScripts(material)

/* Index: every token lunr creates (indexing and pipelines) is folded too */
var Token = self.lunr.Token
function FoldedToken(str, metadata) {
  Token.call(this, foldTr(str || ""), metadata)
}
FoldedToken.prototype = Token.prototype
self.lunr.Token = FoldedToken

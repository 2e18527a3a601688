/*
 * Küme Asistanı: the logic of the on-page tools, the same as eligibility/ in Python.
 *
 * No figure lives here: thresholds, rates, the programme amount and every text come from the
 * JSON that the site generator writes into the page (eligibility/tool_data.py, at build time).
 * evaluate() mirrors eligibility.rules.evaluate and parseCount()
 * eligibility.validators.parse_count; kume-money.js adds estimate() (eligibility.budget).
 * tests/test_site_tools.py runs them against the Python engine in Chromium.
 */
;(function (global) {
  "use strict"

  var LETTERS = { "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u",
                  "â": "a", "î": "i", "û": "u" }

  /* eligibility.text.fold: Turkish lower case (İ→i, I→ı), ASCII-fold, one space between words */
  function fold(value) {
    return String(value == null ? "" : value).normalize("NFC")
      .replace(/İ/g, "i").replace(/I/g, "ı")
      .toLowerCase()
      .replace(/[çğıöşüâîû]/g, function (ch) { return LETTERS[ch] })
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\s+/g, " ").trim()
  }

  /* --- exact decimals: {m: BigInt, e: scale} means m / 10^e ------------------------- */

  var TEN = BigInt(10)
  function pow10(n) { return TEN ** BigInt(n) }
  function digits(n) { return (n < 0n ? -n : n).toString().length }

  function parseDec(text) {
    var s = String(text).trim()
    var m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s)
    if (!m || (m[2] === "" && (m[3] || "") === "")) return null
    var frac = m[3] || ""
    var v = BigInt((m[2] || "0") + frac)
    return { m: m[1] === "-" ? -v : v, e: frac.length }
  }

  function decText(dec) {
    /* Decimal.normalize() in positional form, e.g. "1", "0.25" */
    var m = dec.m, e = dec.e
    while (e > 0 && m % 10n === 0n) { m /= 10n; e -= 1 }
    var neg = m < 0n, s = (neg ? -m : m).toString()
    if (e > 0) {
      s = s.padStart(e + 1, "0")
      s = s.slice(0, s.length - e) + "." + s.slice(s.length - e)
    }
    return (neg ? "-" : "") + s
  }
  /* --- eligibility.rules.evaluate ------------------------------------------------------ */

  var FIELDS = ["chambers_of_industry", "chambers_of_commerce_and_industry", "universities",
                "chamber_of_industry_in_region", "committed_firms"]
  /* Rule logic by rule id (rules.py RULE_COUNTS); figures and wording come from the data. */
  var RULE_COUNTS = {
    chamber: function (a) {
      // A chamber of commerce and industry only stands in where the region has no chamber
      // of industry.
      if (a.chamber_of_industry_in_region) return a.chambers_of_industry
      return a.chambers_of_industry + a.chambers_of_commerce_and_industry
    },
    university: function (a) { return a.universities },
    committed_firms: function (a) { return a.committed_firms }
  }

  function pyText(value) {
    if (value === true) return "True"
    if (value === false) return "False"
    return String(value)
  }
  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? pyText(values[name]) : all
    })
  }

  function evaluate(assoc, readiness, rules) {
    readiness = readiness || {}
    var verdict = { eligible: true, unmet: [], next_steps: [], advice: [] }
    var results = []
    rules.membership.forEach(function (rule) {
      var countOf = RULE_COUNTS[rule.id]
      if (!countOf) throw new Error("rules.yaml: '" + rule.id + "' kuralı için kod yok")
      var minimum = parseDec(rule.minimum)
      var count = BigInt(countOf(assoc))
      var scaled = count * pow10(minimum.e)
      var met = scaled >= minimum.m
      results.push({ rule: rule, met: met, count: Number(count) })
      if (met) return
      verdict.eligible = false
      var values = {}
      FIELDS.forEach(function (f) { values[f] = assoc[f] })
      values.min = decText(minimum)
      values.missing = decText({ m: minimum.m - scaled, e: minimum.e })
      verdict.unmet.push({ rule: rule.id, reason: fill(rule.reason, values), source: rule.source })
      verdict.next_steps.push({ rule: rule.id, title: rule.title, text: rule.next_step,
                                activities: rule.activities })
    })
    rules.readiness.forEach(function (item) {
      if (readiness[item.id] === false)
        verdict.advice.push({ id: item.id, title: item.title, text: item.advice,
                              activities: item.activities })
    })
    Object.defineProperty(verdict, "results", { value: results, enumerable: false })
    return verdict
  }

  /* --- eligibility.validators.parse_count ------------------------------------------------ */

  function splitNumberWord(token, words) {
    if (!token) return []
    for (var i = 0; i < words.length; i++) {
      if (token.indexOf(words[i]) === 0) {
        var rest = splitNumberWord(token.slice(words[i].length), words)
        if (rest !== null) return [words[i]].concat(rest)
      }
    }
    return null
  }

  /* A whole number in digits or Turkish words; {value} or {error: "digits"|"fraction"|…}. */
  function parseCount(text, counts) {
    var folded = fold(text)
    if (!folded) return { error: "empty" }
    if (/^[-−–]\s*\d/.test(folded)) return { error: "negative" }
    var groups = folded.match(/\d[\d.,]*\d|\d/g)
    var value
    if (groups) {
      var values = {}
      for (var i = 0; i < groups.length; i++) {
        var g = groups[i]
        if (/^\d{1,3}([.,]\d{3})+$/.test(g)) g = g.replace(/[.,]/g, "")
        else if (!/^\d+$/.test(g)) return { error: "fraction" }
        if (g.length > 12) return { error: "large" }
        values[String(BigInt(g))] = true
      }
      var keys = Object.keys(values)
      if (keys.length > 1) return { error: "several" }
      value = Number(keys[0])
    } else {
      var table = counts.words
      var byLength = Object.keys(table).sort(function (a, b) { return b.length - a.length })
      var tokens = folded.match(/[a-z]+/g) || []
      var words = []
      tokens.forEach(function (t) {
        var parts = splitNumberWord(t, byLength)
        if (parts && parts.length) words = words.concat(parts)
      })
      if (words.length) {
        var total = 0, current = 0
        words.forEach(function (w) {
          var v = table[w]
          if (v === 100) current = (current || 1) * 100
          else if (v === 1000) { total += (current || 1) * 1000; current = 0 }
          else current += v
        })
        value = total + current
      } else if (tokens.some(function (t) { return counts.zero_words.indexOf(t) >= 0 })) {
        value = 0
      } else {
        return { error: "nonumber" }
      }
    }
    if (value > counts.max) return { error: "large" }
    return { value: value }
  }

  /* Lower-case Turkish fold without punctuation, for matching names as typed ("K.Maraş") */
  function compact(value) { return fold(value).replace(/[^a-z0-9]+/g, "") }

  /* The page's data: <script type="application/json" id="kume-tool-data"> */
  function pageData() {
    var el = document.getElementById("kume-tool-data")
    return el ? JSON.parse(el.textContent) : null
  }

  /* A DOM element: el("p", {class: "x", text: "…"}, [children]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]
      else node.setAttribute(k, attrs[k])
    })
    ;(children || []).forEach(function (c) { if (c) node.appendChild(c) })
    return node
  }

  global.KumeCore = {
    fold: fold, compact: compact, evaluate: evaluate, parseCount: parseCount,
    parseDec: parseDec, decText: decText, pow10: pow10, digits: digits, el: el,
    pageData: pageData
  }
})(window)

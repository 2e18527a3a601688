/*
 * Küme Asistanı: the logic of the on-page tools, the same as eligibility/ in Python.
 *
 * No figure and no word lives here: thresholds, rates, the programme amount, every text and
 * the folding tables come from the JSON that the site generator writes into the page
 * (eligibility/tool_data.py, at build time; words from content/site_tools.yaml).
 * evaluate() mirrors eligibility.rules.evaluate and parseCount()
 * eligibility.validators.parse_count; kume-money.js adds estimate() (eligibility.budget).
 * tests/test_site_tools.py runs them against the Python engine in Chromium.
 */
;(function (global) {
  "use strict"

  /* The page's data: <script type="application/json" id="kume-tool-data">, read once */
  var data
  function pageData() {
    if (data === undefined) {
      var node = document.getElementById("kume-tool-data")
      data = node ? JSON.parse(node.textContent) : null
    }
    return data
  }

  /* The page's words (content/site_tools.yaml; "shared": the bot's own words) */
  function words() { return pageData().words }

  /* A text's {placeholders} filled; an unknown one is left as it is (tests look for "{"). */
  function fill(template, values) {
    return String(template).replace(/\{([a-z_]+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? pyText(values[name]) : all
    })
  }
  function pyText(value) {
    if (value === true) return "True"
    if (value === false) return "False"
    return String(value)
  }

  /* --- eligibility.text.fold, with its tables from the data (text.fold_tables) ---------- */

  var folding = null
  function charClass(chars) {
    return new RegExp("[" + chars.map(function (c) {
      return "\\u{" + c.codePointAt(0).toString(16) + "}"
    }).join("") + "]", "gu")
  }
  function tables() {
    if (folding) return folding
    var t = pageData().text
    folding = {
      invisible: charClass(t.invisible.map(function (n) { return String.fromCodePoint(n) })),
      punct: charClass(Object.keys(t.punct)), punctMap: t.punct,
      upper: charClass(Object.keys(t.upper)), upperMap: t.upper,
      dotted: new RegExp(Object.keys(t.dotted).join("|"), "g"), dottedMap: t.dotted,
      letters: charClass(Object.keys(t.letters)), lettersMap: t.letters
    }
    return folding
  }

  /* NFKC, invisible and control characters out, plain punctuation, Turkish lower case
     (İ→i, I→ı), one space between words, then Turkish letters and other accents folded. */
  function fold(value) {
    var s = String(value == null ? "" : value)
    if (!s) return ""
    var f = tables()
    function by(map) { return function (c) { return map[c] } }
    s = s.normalize("NFKC").replace(f.invisible, "").replace(/[\p{Cc}\p{Cf}]/gu, " ")
      .replace(f.punct, by(f.punctMap)).replace(f.upper, by(f.upperMap))
      .replace(f.dotted, by(f.dottedMap)).toLowerCase().replace(f.dotted, by(f.dottedMap))
      .normalize("NFC").replace(/\s+/g, " ").trim()
      .replace(f.letters, by(f.lettersMap))
    if (/[^\x00-\x7f]/.test(s))
      s = s.normalize("NFD").replace(/\p{Mn}/gu, "").replace(/\s+/g, " ").trim()
    return s
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

  function evaluate(assoc, readiness, rules) {
    readiness = readiness || {}
    var verdict = { eligible: true, unmet: [], next_steps: [], advice: [] }
    var results = []
    rules.membership.forEach(function (rule) {
      var countOf = RULE_COUNTS[rule.id]
      if (!countOf) throw new Error("no rule logic for rules.yaml id " + rule.id)
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

  /* A whole number in digits or Turkish words: {value}, or {error, text} where error is a
     key of validators.COUNT_PROBLEMS and text the bot's message for it. */
  function parseCount(text, counts) {
    var r = readCount(text, counts)
    if (r.error) r.text = fill(counts.problems[r.error], { value: r.number })
    return r
  }
  function readCount(text, counts) {
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
        if (g.length > 12) return { error: "huge" }
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
    if (value > counts.max) return { error: "large", number: value }
    return { value: value }
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
    fold: fold, fill: fill, words: words, evaluate: evaluate, parseCount: parseCount,
    parseDec: parseDec, decText: decText, pow10: pow10, digits: digits, el: el,
    pageData: pageData
  }
})(window)

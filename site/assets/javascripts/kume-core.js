/*
 * Küme Asistanı: the logic of the on-page tools, the same as eligibility/ in Python.
 *
 * No figure lives here: thresholds, rates, the programme amount and every text come from the
 * JSON that the site generator writes into the page (eligibility/tool_data.py, at build time).
 * evaluate() mirrors eligibility.rules.evaluate, estimate() eligibility.budget.estimate and
 * parseCount() eligibility.validators.parse_count; tests/test_site_tools.py runs them against
 * the Python engine in Chromium. Money is kept in whole kuruş as BigInt, so nothing is lost to
 * floating point; the proportional split rounds like Python's decimal module (28 digits,
 * half-even), as the engine's does.
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

  function floorDiv(a, b) {
    var q = a / b
    if ((a % b !== 0n) && ((a < 0n) !== (b < 0n))) q -= 1n
    return q
  }

  /* round a/b (b > 0) to the nearest whole number; ties: half up (away from zero) or even */
  function roundDiv(a, b, even) {
    var q = floorDiv(a, b), r = a - q * b
    var twice = 2n * r
    if (twice > b) return q + 1n
    if (twice < b) return q
    if (even) return (q % 2n === 0n) ? q : q + 1n
    return a >= 0n ? q + 1n : q
  }

  /* a decimal (string) in kuruş, rounded half up like Decimal.quantize(0.01, ROUND_HALF_UP) */
  function toKurus(dec) {
    if (dec.e <= 2) return dec.m * pow10(2 - dec.e)
    var den = pow10(dec.e - 2)
    return dec.m >= 0n ? roundDiv(dec.m, den, false) : -roundDiv(-dec.m, den, false)
  }

  /* "1234" for whole TL, "1234.50" with kuruş: the form tests compare with Python's Decimal */
  function kurusText(k) {
    var neg = k < 0n, a = neg ? -k : k
    var whole = a / 100n, frac = a % 100n
    var out = whole.toString()
    if (frac !== 0n) out += "." + frac.toString().padStart(2, "0")
    return (neg ? "-" : "") + out
  }

  /* Turkish grouping as site/sitegen/fmt.number: 1234567 → "1.234.567", 1234,5 → "1.234,50" */
  function groupTr(intText) {
    return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ".")
  }
  function tlText(k) {
    var neg = k < 0n, a = neg ? -k : k
    var out = groupTr((a / 100n).toString())
    if (a % 100n !== 0n) out += "," + (a % 100n).toString().padStart(2, "0")
    return (neg ? "-" : "") + out + " TL"
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
  /* fmt.percent: 0.25 → "%25", 0.255 → "%25,50" */
  function percentText(rate) {
    var hundred = { m: rate.m * 100n, e: rate.e }
    var t = decText(hundred)
    if (t.indexOf(".") < 0) return "%" + groupTr(t)
    var k = toKurus(parseDec(t))
    return "%" + tlText(k).replace(" TL", "")
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

  /* --- eligibility.budget.estimate ------------------------------------------------------- */

  /* Decimal(x) rounded to `prec` significant digits, half-even: x = n (a whole number) */
  function roundSignificant(n, prec) {
    var d = digits(n)
    if (d <= prec) return n
    var unit = pow10(d - prec)
    return roundDiv(n, unit, true) * unit
  }

  /* n / d (n ≥ 0, d > 0) as Decimal computes it: {m, k}, value m / 10^k */
  function decimalQuotient(n, d, prec) {
    if (n === 0n) return { m: 0n, k: 0 }
    var probe = digits((n * pow10(60)) / d) // ≥ 1 for every amount the engine accepts
    var k = prec - probe + 60
    var m = k >= 0 ? roundDiv(n * pow10(k), d, true) : roundDiv(n, d * pow10(-k), true)
    return { m: m, k: k }
  }

  function largestRemainder(weights, target, prec) {
    var total = weights.reduce(function (s, w) { return s + w }, 0n)
    if (total === 0n) return weights.map(function () { return 0n })
    var parts = weights.map(function (w, i) {
      var q = decimalQuotient(roundSignificant(w * target, prec), total, prec)
      if (q.k <= 0) return { i: i, share: q.m * pow10(-q.k), rem: 0n, k: 0 }
      var unit = pow10(q.k)
      return { i: i, share: q.m / unit, rem: q.m % unit, k: q.k }
    })
    var shares = parts.map(function (p) { return p.share })
    var left = target - shares.reduce(function (s, v) { return s + v }, 0n)
    var order = parts.slice().sort(function (a, b) {
      var x = a.rem * pow10(b.k), y = b.rem * pow10(a.k)
      if (x !== y) return x > y ? -1 : 1
      return a.i - b.i
    })
    for (var j = 0; j < Number(left); j++) shares[order[j].i] += 1n
    return shares
  }

  /* cost (kuruş) × rate, rounded down to whole TL */
  function floorTL(kurus, rate) {
    return floorDiv(kurus * rate.m, 100n * pow10(rate.e))
  }

  /* Amounts are decimal texts ("1200000", "1234.5"); an error names the item (1-based). */
  function estimate(items, previous, budget) {
    var figures = budget.figures
    var itemRate = parseDec(figures.item_grant_rate.value)
    var planRate = parseDec(figures.plan_grant_rate.value)
    var totalGrant = toKurus(parseDec(figures.total_grant.value))
    var maxAmount = parseDec(budget.max_amount)
    var errors = []
    function amount(text, allowZero, where) {
      var dec = parseDec(text)
      if (dec === null) { errors.push({ where: where, error: "number" }); return null }
      if (dec.m < 0n) { errors.push({ where: where, error: "negative" }); return null }
      if (dec.m === 0n && !allowZero) { errors.push({ where: where, error: "zero" }); return null }
      if (dec.m * pow10(maxAmount.e) > maxAmount.m * pow10(dec.e)) {
        errors.push({ where: where, error: "large" }); return null
      }
      return toKurus(dec)
    }
    if (!items.length) errors.push({ where: "items", error: "empty" })
    var plan = items.map(function (item, n) {
      var name = String(item.name == null ? "" : item.name).split(/\s+/).filter(Boolean).join(" ")
      if (!name) errors.push({ where: n + 1, error: "name" })
      return { name: name, cost: amount(item.cost, false, n + 1) }
    })
    var prev = amount(previous === "" || previous == null ? "0" : previous, true, "previous")
    if (errors.length) return { errors: errors }

    var totalCost = plan.reduce(function (s, p) { return s + p.cost }, 0n)
    var itemCaps = plan.map(function (p) { return floorTL(p.cost, itemRate) })
    var caps = {
      items: itemCaps.reduce(function (s, v) { return s + v }, 0n),
      plan: floorTL(totalCost, planRate),
      remaining: floorDiv(totalGrant - prev, 100n)
    }
    if (caps.remaining < 0n) caps.remaining = 0n
    var maxGrant = [caps.items, caps.plan, caps.remaining].reduce(function (a, b) {
      return b < a ? b : a
    })
    var binding = ["items", "plan", "remaining"].filter(function (name) {
      return caps[name] === maxGrant
    })
    var grants = maxGrant === caps.items ? itemCaps
      : largestRemainder(itemCaps, maxGrant, budget.precision)
    var tl = function (v) { return kurusText(v * 100n) }
    return {
      total_cost: kurusText(totalCost),
      max_grant: tl(maxGrant),
      own_share: kurusText(totalCost - maxGrant * 100n),
      items: plan.map(function (p, i) {
        return { name: p.name, cost: kurusText(p.cost), max_grant: tl(grants[i]),
                 item_cap: tl(itemCaps[i]) }
      }),
      limits: { items: tl(caps.items), plan: tl(caps.plan), remaining: tl(caps.remaining) },
      binding: binding,
      previous_grants: kurusText(prev),
      rates: { item_grant_rate: figures.item_grant_rate.value,
               plan_grant_rate: figures.plan_grant_rate.value },
      sources: budget.sources.slice()
    }
  }

  /* What people type for money: "1.200.000", "1.200.000,40", "1200000" (digits with Turkish
     grouping; no words); a decimal text for estimate(), or null. */
  function parseAmountTr(text) {
    var s = String(text == null ? "" : text).replace(/[\s\u00a0]/g, "")
      .replace(/(tl|₺)$/i, "")
    if (s === "") return null
    if (/^\d+$/.test(s)) return s
    if (s.indexOf(",") >= 0) {
      if (/^\d{1,3}(\.\d{3})*,\d+$/.test(s) || /^\d+,\d+$/.test(s))
        return s.replace(/\./g, "").replace(",", ".")
      return null
    }
    if (/^\d{1,3}(\.\d{3})+$/.test(s)) return s.replace(/\./g, "")
    if (/^\d+\.\d{1,2}$/.test(s)) return s
    return null
  }

  /* Lower-case Turkish fold without punctuation, for matching names as typed ("K.Maraş") */
  function compact(value) { return fold(value).replace(/[^a-z0-9]+/g, "") }

  /* The page's data: <script type="application/json" id="kume-tool-data"> */
  function pageData() {
    var el = document.getElementById("kume-tool-data")
    return el ? JSON.parse(el.textContent) : null
  }

  global.KumeCore = {
    fold: fold, compact: compact, evaluate: evaluate, estimate: estimate,
    parseCount: parseCount, parseAmountTr: parseAmountTr, parseDec: parseDec,
    toKurus: toKurus, tlText: tlText, percentText: percentText, decText: decText,
    groupTr: groupTr, pageData: pageData
  }
})(window)

/*
 * Küme Asistanı: money for the grant calculator, the same as eligibility.budget.estimate.
 * Loaded after kume-core.js; adds estimate(), parseAmountTr() and Turkish money formatting to
 * KumeCore. Money is kept in whole kuruş as BigInt, so nothing is lost to floating point;
 * the proportional split rounds like Python's decimal module (the engine's precision,
 * half-even). Figures come from the page's data, never from here.
 */
;(function (core) {
  "use strict"
  var parseDec = core.parseDec, decText = core.decText, pow10 = core.pow10
  var digits = core.digits

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
  function amountText(k) {
    var neg = k < 0n, a = neg ? -k : k
    var out = groupTr((a / 100n).toString())
    if (a % 100n !== 0n) out += "," + (a % 100n).toString().padStart(2, "0")
    return (neg ? "-" : "") + out
  }
  function currency() { return core.words().common.currency }
  function tlText(k) { return amountText(k) + " " + currency() }
  /* fmt.percent: 0.25 → "%25", 0.255 → "%25,50" */
  function percentText(rate) {
    var hundred = { m: rate.m * 100n, e: rate.e }
    var t = decText(hundred)
    if (t.indexOf(".") < 0) return "%" + groupTr(t)
    return "%" + amountText(toKurus(parseDec(t)))
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

  /* What people type for money: "1.200.000", "1.200.000,40", "1200000 TL" (digits with
     Turkish grouping; no words); a decimal text for estimate(), or null. */
  function parseAmountTr(text) {
    var unit = currency().replace(/[^\w]/g, "")  // the currency after an amount, or ₺
    var s = String(text == null ? "" : text).replace(/[\s\u00a0]/g, "")
      .replace(new RegExp("(" + unit + "|₺)$", "i"), "")
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

  core.estimate = estimate
  core.parseAmountTr = parseAmountTr
  core.toKurus = toKurus
  core.tlText = tlText
  core.percentText = percentText
  core.groupTr = groupTr
})(window.KumeCore)

/*
 * Küme Asistanı: a province from what people type, read as eligibility.validators.
 * find_province reads it — folded (Turkish letters or not), without "ili"/"merkez" and case
 * suffixes ("Samsun'da"), then a plate code, a name or alias ("K.Maraş", "Antep", "Urfa"),
 * a district ("Bafra"; one in several provinces asks which), one province named among the
 * words ("Gebze, Kocaeli"), a unique part of a name, or a near-miss spelling. Keys, noise words, thresholds and messages
 * come from the page's data (tool_data.province_match); none is written here.
 *
 * The near-miss step is rapidfuzz's fuzz.ratio, the bot's scorer: the normalised Indel
 * similarity 100 · (1 − d / (|a| + |b|)) with d = |a| + |b| − 2 · LCS(a, b), computed in the
 * same floating-point steps, and the best `limit` keys ranked by score, ties by key order, as
 * process.extract ranks them. A typo or two in a longer name is accepted when it clearly
 * leads the next province (e.g. "trabzn", "kastamonuu"); when two provinces come close the
 * answer is the bot's "Bunu mu demek istediniz: …?" with its candidates, never a guess.
 */
;(function (core) {
  "use strict"

  /* length of the longest common subsequence (a and b are short: [a-z0-9] keys) */
  function lcs(a, b) {
    var prev = []
    for (var j = 0; j <= b.length; j++) prev.push(0)
    for (var i = 0; i < a.length; i++) {
      var cur = [0]
      for (j = 0; j < b.length; j++)
        cur.push(a[i] === b[j] ? prev[j] + 1 : Math.max(prev[j + 1], cur[j]))
      prev = cur
    }
    return prev[b.length]
  }

  /* rapidfuzz.fuzz.ratio(a, b) */
  function ratio(a, b) {
    var sum = a.length + b.length
    if (!sum) return 100
    return 100 * (1 - (sum - 2 * lcs(a, b)) / sum)
  }

  /* the folded text without "ili"/"merkez" and case suffixes ("Samsun'da") */
  function stripped(text, match) {
    // Python's \b around the noise words: no letter, digit or "_" on either side.
    var noise = new RegExp("(?<![\\p{L}\\p{N}_])(" + match.noise.join("|") +
                           ")(?![\\p{L}\\p{N}_])", "gu")
    return core.fold(text).replace(noise, " ").replace(/['’`][a-z]*/g, "")
  }

  /* validators.province_query: what is compared */
  function query(text, match) {
    return stripped(text, match).replace(/[^a-z0-9]/g, "")
  }

  /* validators._province_words: the words of three letters or more */
  function words(text, match) {
    return stripped(text, match).match(/[a-z]{3,}/g) || []
  }

  /* {province}, or {problem: the bot's message, suggestions: [province, …]} */
  function findProvince(text, routing) {
    var match = routing.match, limits = match.thresholds, problems = match.problems
    var byPlate = {}
    routing.provinces.forEach(function (p) { byPlate[p.plate] = p })
    var q = query(text, match)
    if (!q) return { problem: problems.empty, suggestions: [] }
    if (/^\d+$/.test(q)) {
      var plate = q.length <= 3 ? Number(q) : 0
      return byPlate[plate] ? { province: byPlate[plate] }
        : { problem: problems.plate, suggestions: [] }
    }
    var keys = match.keys  // [key, plate], in find_province's order
    var keyPlate = {}
    for (var i = 0; i < keys.length; i++) {
      if (keys[i][0] === q) return { province: byPlate[keys[i][1]] }
      if (!(keys[i][0] in keyPlate)) keyPlate[keys[i][0]] = keys[i][1]
    }
    var districts = match.districts  // [district key, [plate, …]], in the bot's order
    for (i = 0; i < districts.length; i++) {
      if (districts[i][0] !== q) continue
      var found = districts[i][1].map(function (p) { return byPlate[p] })
      if (found.length === 1) return { province: found[0] }  // "Gebze" is in Kocaeli
      if (found.length) return suggest(found)  // "Yenişehir": Bursa, Mersin or Diyarbakır
    }
    var named = {}, namedCount = 0  // "Gebze, Kocaeli": one province among the words
    words(text, match).forEach(function (w) {
      if (w in keyPlate && !(keyPlate[w] in named)) { named[keyPlate[w]] = true; namedCount++ }
    })
    if (namedCount === 1) return { province: byPlate[Object.keys(named)[0]] }
    if (q.length >= limits.partial) {
      var partial = {}
      keys.forEach(function (k) { if (k[0].indexOf(q) >= 0) partial[k[1]] = true })
      var plates = Object.keys(partial)
      if (plates.length === 1) return { province: byPlate[plates[0]] }
    }
    var ranked = keys.map(function (k, n) { return { plate: k[1], score: ratio(q, k[0]), n: n } })
    ranked.sort(function (a, b) { return b.score - a.score || a.n - b.n })
    var candidates = [], seen = {}
    ranked.slice(0, limits.limit).forEach(function (r) {
      if (!(r.plate in seen)) { seen[r.plate] = candidates.length; candidates.push(r) }
    })
    // a near-miss of a district ("Gebez") suggests its province, one point under a name
    var near = districts.map(function (d, n) { return { plates: d[1], score: ratio(q, d[0]), n: n } })
    near.sort(function (a, b) { return b.score - a.score || a.n - b.n })
    near.slice(0, limits.district_limit).forEach(function (d) {
      d.plates.forEach(function (plate) {
        if (d.score < limits.district_near) return
        if (!(plate in seen)) { seen[plate] = candidates.length; candidates.push({ plate: plate, score: d.score - 1 }) }
        else if (candidates[seen[plate]].score < d.score - 1) candidates[seen[plate]].score = d.score - 1
      })
    })
    // Python's sorted() is stable: equal scores keep the order they were found in
    candidates = candidates.map(function (c, n) { return { plate: c.plate, score: c.score, n: n } })
    candidates.sort(function (a, b) { return b.score - a.score || a.n - b.n })
    if (candidates.length) {
      var top = candidates[0]
      var runner = candidates.length > 1 ? candidates[1].score : 0
      if (top.score >= limits.accept && top.score - runner >= limits.margin)
        return { province: byPlate[top.plate] }
      if (top.score >= limits.suggest) {
        var close = candidates.filter(function (c) {
          return c.score >= limits.suggest && top.score - c.score < limits.margin
        }).slice(0, limits.suggestions).map(function (c) { return byPlate[c.plate] })
        return suggest(close)
      }
    }
    return { problem: problems.unknown, suggestions: [] }

    function suggest(close) {
      var names = close.map(function (p) { return p.name }).join(problems.or)
      return { problem: core.fill(problems.suggest, { names: names }), suggestions: close }
    }
  }

  core.findProvince = findProvince
  core.ratio = ratio
})(window.KumeCore)

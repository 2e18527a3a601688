/*
 * Küme Asistanı: the eligibility check's result — headline, each rule met or missing with its
 * reason and folded source, how to complete what is missing (with the fundable activities),
 * advice from the readiness answers, and the next step. Texts come from the page's data.
 */
;(function () {
  "use strict"
  var el = window.KumeCore.el, fill = window.KumeCore.fill
  var words = {}

  function activityList(activities) {
    if (!activities.length) return null
    var ul = el("ul", { class: "kume-activities" })
    activities.forEach(function (a) {
      var href = activityUrls[a.id]
      ul.appendChild(el("li", {}, [el("a", { href: href, text: a.title }),
                                   el("small", { text: " (" + a.id + ")" })]))
    })
    return el("div", {}, [el("p", { text: words.common.activities_intro }), ul])
  }

  function citation(c, seen) {
    if (seen[c.quote]) return null
    seen[c.quote] = true
    var d = el("details", { class: "kume-kaynak" })
    d.appendChild(el("summary", { text: words.common.source_summary }))
    d.appendChild(el("blockquote", { text: c.quote }))
    d.appendChild(el("p", { text: fill(words.common.source_where,
      { official: words.shared.official, source: c.source, year: c.year }) }))
    return d
  }

  var activityUrls = {}

  function render(verdict, rules, pageWords) {
    activityUrls = rules.activity_urls
    words = pageWords
    var w = words.check.result, shared = words.shared
    var box = el("div", { class: "kume-step kume-result", "data-eligible": String(verdict.eligible) })
    var headline = verdict.eligible ? w.eligible : w.not_eligible
    box.appendChild(el("h2", { tabindex: "-1", "data-focus": "", text: headline }))
    box.appendChild(el("p", { text: fill(w.preliminary, { basis: rules.membership[0].basis }) }))
    box.appendChild(el("h3", { text: w.why }))
    var seen = {}
    var reasons = el("ul", { class: "kume-reasons" })
    verdict.results.forEach(function (r) {
      var unmet = verdict.unmet.filter(function (u) { return u.rule === r.rule.id })[0]
      var li = el("li", { "data-rule": r.rule.id, "data-met": String(r.met) })
      li.appendChild(el("strong", { text: (r.met ? w.met : w.unmet) + ": " + r.rule.title }))
      li.appendChild(el("span", { text: " — " + (unmet ? unmet.reason : fill(w.met_reason,
        { minimum: r.rule.minimum, count: r.count, basis: r.rule.basis })) }))
      var c = citation(r.rule.citation, seen)
      if (c) li.appendChild(c)
      reasons.appendChild(li)
    })
    box.appendChild(reasons)
    if (verdict.next_steps.length) {
      box.appendChild(el("h3", { text: w.how_to_complete }))
      verdict.next_steps.forEach(function (s) {
        var part = el("div", { class: "kume-next", "data-step-rule": s.rule }, [
          el("h4", { text: s.title }), el("p", { text: s.text }), activityList(s.activities)
        ])
        box.appendChild(part)
      })
    }
    if (verdict.advice.length) {
      box.appendChild(el("h3", { text: w.advice }))
      verdict.advice.forEach(function (a) {
        box.appendChild(el("div", { class: "kume-advice", "data-advice": a.id }, [
          el("h4", { text: a.title }), el("p", { text: a.text }), activityList(a.activities)
        ]))
      })
    }
    var step = rules.steps[verdict.eligible ? "eligible" : "not_eligible"]
    var next = el("div", { class: "kume-next-step", "data-step": verdict.eligible ? "eligible" : "not_eligible" })
    next.appendChild(el("h3", { text: shared.next_step + ": " + step.title }))
    next.appendChild(el("p", { text: step.text }))
    if (step.prepare.length) {
      next.appendChild(el("p", {}, [el("strong", { text: shared.prepare + ":" })]))
      var ul = el("ul")
      step.prepare.forEach(function (p) { ul.appendChild(el("li", { text: p })) })
      next.appendChild(ul)
    }
    var contact = el("p")
    var parts = step.contact.split("{portal}")
    contact.appendChild(el("strong", { text: shared.contact + " " }))
    parts.forEach(function (text, i) {
      contact.appendChild(document.createTextNode(text))
      if (i < parts.length - 1) {
        var portal = document.querySelector(".kume-dating a[href]")
        contact.appendChild(el("a", { href: portal ? portal.href : "#sonraki-adim",
                                      text: portal ? portal.textContent : shared.portal }))
      }
    })
    next.appendChild(contact)
    box.appendChild(next)
    return box
  }

  window.KumeCheckResult = { render: render }
})()

/*
 * Küme Asistanı: the eligibility check, one question at a time (the bot's questions, from
 * content/questionnaire.yaml), a summary with "Değiştir" buttons, and the result with its
 * reasons and next steps. Logic: KumeCore.evaluate (the same as eligibility.rules.evaluate).
 * Nothing leaves the page: no request, no cookie, no storage.
 */
;(function () {
  "use strict"
  var core = window.KumeCore
  var root = document.getElementById("kume-check")
  var data = core.pageData()
  if (!root || !data) return
  var check = data.check
  var rules = check.rules
  var questions = check.questions
  var w = data.words.check, shared = data.words.shared, fill = core.fill
  var PREFIX = "readiness."

  var state = { answers: {}, current: null, stage: "asking", returnToSummary: false }

  var el = core.el

  function applies(q, answers) {
    return Object.keys(q.when || {}).every(function (ref) {
      var want = q.when[ref]
      var have = answers[ref]
      return Array.isArray(want) ? want.indexOf(have) >= 0 : have === want
    })
  }
  function applicable() {
    return questions.filter(function (q) { return applies(q, state.answers) })
  }
  /* answers to questions that no longer apply are dropped (questionnaire.py _prune) */
  function prune() {
    var keep = {}
    applicable().forEach(function (q) {
      if (Object.prototype.hasOwnProperty.call(state.answers, q.id)) keep[q.id] = state.answers[q.id]
    })
    state.answers = keep
  }
  function nextUnanswered() {
    var list = applicable()
    for (var i = 0; i < list.length; i++)
      if (!Object.prototype.hasOwnProperty.call(state.answers, list[i].id)) return list[i]
    return null
  }

  var live = el("div", { class: "kume-sr-only", "aria-live": "polite", role: "status" })

  function show(node, focusSelector) {
    root.innerHTML = ""
    root.appendChild(node)
    root.appendChild(live)
    var target = node.querySelector(focusSelector || "[data-focus]")
    if (target) target.focus()
  }

  function button(text, attrs, primary) {
    attrs = attrs || {}
    attrs.type = attrs.type || "button"
    attrs.class = "md-button" + (primary ? " md-button--primary" : "") +
      (attrs.class ? " " + attrs.class : "")
    attrs.text = text
    return el("button", attrs)
  }

  function display(q, value) {
    if (value === true) return shared.yes
    if (value === false) return shared.no
    return String(value)
  }

  /* --- a question --------------------------------------------------------------------- */

  function askQuestion(q, error, typed) {
    state.current = q.id
    state.stage = "asking"
    var list = applicable()
    var number = list.indexOf(q) + 1
    var form = el("form", { class: "kume-step", novalidate: "", "data-question": q.id })
    form.appendChild(el("p", { class: "kume-progress",
      text: fill(w.progress, { number: number, total: list.length }) }))
    var hintId = "kume-hint-" + q.id.replace(/\W/g, "-")
    var errorId = "kume-error-" + q.id.replace(/\W/g, "-")
    var inputId = "kume-input-" + q.id.replace(/\W/g, "-")
    if (error) {
      var summary = el("div", { class: "kume-error-summary", role: "alert" }, [
        el("h2", { text: w.error_title }),
        el("p", {}, [el("a", { href: "#" + inputId, text: error })])
      ])
      form.appendChild(summary)
    }
    var previous = state.answers[q.id]
    if (q.kind === "yesno") {
      var fieldset = el("fieldset", { class: "kume-fieldset" })
      fieldset.appendChild(el("legend", {}, [
        el("h2", { class: "kume-question", tabindex: "-1", "data-focus": "", text: q.text })
      ]))
      if (q.id.indexOf(PREFIX) === 0)
        fieldset.appendChild(el("p", { class: "kume-hint", id: hintId, text: w.readiness_hint }))
      if (error) fieldset.appendChild(el("p", { class: "kume-error", id: errorId, text: error }))
      var radios = el("div", { class: "kume-radios" })
      ;[[true, shared.yes], [false, shared.no]].forEach(function (opt, i) {
        var id = inputId + (i === 0 ? "" : "-no")
        var input = el("input", { type: "radio", name: "answer", id: id, value: opt[0] ? "yes" : "no" })
        if (previous === opt[0]) input.checked = true
        if (error) input.setAttribute("aria-describedby", errorId)
        radios.appendChild(el("div", { class: "kume-radio" }, [
          input, el("label", { for: id, text: opt[1] })
        ]))
      })
      fieldset.appendChild(radios)
      form.appendChild(fieldset)
    } else {
      form.appendChild(el("h2", { class: "kume-question" }, [
        el("label", { for: inputId, text: q.text })
      ]))
      form.appendChild(el("p", { class: "kume-hint", id: hintId, text: q.help }))
      if (error) form.appendChild(el("p", { class: "kume-error", id: errorId, text: error }))
      var input = el("input", { type: "text", inputmode: "numeric", id: inputId, name: "answer",
                                autocomplete: "off", class: "kume-input kume-input--short",
                                "aria-describedby": (error ? errorId + " " : "") + hintId,
                                "data-focus": "" })
      if (error) input.setAttribute("aria-invalid", "true")
      if (typed != null) input.value = typed
      else if (previous != null) input.value = String(previous)
      form.appendChild(input)
    }
    var actions = el("div", { class: "kume-actions" }, [
      button(w.next, { type: "submit" }, true),
      number > 1 || state.returnToSummary ? button(shared.back, { "data-action": "back" }) : null
    ])
    form.appendChild(actions)
    form.addEventListener("submit", function (ev) {
      ev.preventDefault()
      submitAnswer(q, form)
    })
    var back = form.querySelector('[data-action="back"]')
    if (back) back.addEventListener("click", function () { goBack(q) })
    show(form, error ? (q.kind === "yesno" ? ".kume-error-summary a" : "input") : "[data-focus]")
  }

  function submitAnswer(q, form) {
    var value
    if (q.kind === "yesno") {
      var picked = form.querySelector('input[name="answer"]:checked')
      if (!picked) return askQuestion(q, fill(w.choose, { yes: shared.yes, no: shared.no }))
      value = picked.value === "yes"
    } else {
      var typed = form.querySelector("input").value
      var parsed = core.parseCount(typed, check.counts)
      // The bot's message for what went wrong, then the question's hint (an empty answer:
      // the hint alone says what to type).
      if (parsed.error)
        return askQuestion(q, parsed.error === "empty" ? q.help : parsed.text + " " + q.help, typed)
      value = parsed.value
    }
    state.answers[q.id] = value
    prune()
    var next = nextUnanswered()
    if (next) return askQuestion(next)
    showSummary()
  }

  function goBack(q) {
    var list = applicable()
    var i = list.indexOf(q)
    if (i > 0) return askQuestion(list[i - 1])
    if (state.returnToSummary) return showSummary()
  }

  /* --- summary ---------------------------------------------------------------------------- */

  function showSummary() {
    state.stage = "summary"
    state.returnToSummary = true
    var box = el("div", { class: "kume-step" })
    box.appendChild(el("h2", { tabindex: "-1", "data-focus": "", text: shared.summary_title }))
    var dl = el("dl", { class: "kume-summary" })
    applicable().forEach(function (q) {
      var change = button(w.change, { class: "kume-change", "data-change": q.id })
      change.appendChild(el("span", { class: "kume-sr-only", text: ": " + q.label }))
      change.addEventListener("click", function () { askQuestion(q) })
      dl.appendChild(el("div", { class: "kume-summary-row" }, [
        el("dt", { text: q.label }),
        el("dd", { text: display(q, state.answers[q.id]) }),
        el("dd", { class: "kume-summary-action" }, [change])
      ]))
    })
    box.appendChild(dl)
    var go = button(w.show_result, { "data-action": "result" }, true)
    go.addEventListener("click", showResult)
    box.appendChild(el("div", { class: "kume-actions" }, [go]))
    show(box)
  }

  /* --- result ----------------------------------------------------------------------------- */

  function association(answers) {
    return {
      chambers_of_industry: answers.chambers_of_industry || 0,
      chambers_of_commerce_and_industry: answers.chambers_of_commerce_and_industry || 0,
      universities: answers.universities || 0,
      chamber_of_industry_in_region: !!answers.chamber_of_industry_in_region,
      committed_firms: answers.committed_firms || 0
    }
  }
  function readiness(answers) {
    var out = {}
    Object.keys(answers).forEach(function (k) {
      if (k.indexOf(PREFIX) === 0 && typeof answers[k] === "boolean") out[k.slice(PREFIX.length)] = answers[k]
    })
    return out
  }

  function showResult() {
    state.stage = "done"
    var verdict = core.evaluate(association(state.answers), readiness(state.answers), rules)
    var box = window.KumeCheckResult.render(verdict, rules, data.words)
    var change = button(w.change_answers, { "data-action": "summary" })
    change.addEventListener("click", showSummary)
    var again = button(shared.restart, { "data-action": "restart" })
    again.addEventListener("click", restart)
    box.appendChild(el("div", { class: "kume-actions" }, [change, again]))
    show(box)
    live.textContent = box.querySelector("h2").textContent
  }

  function restart() {
    state = { answers: {}, current: null, stage: "asking", returnToSummary: false }
    askQuestion(questions[0])
  }

  /* Start page: intro and a start button (the page's own text explains the tool). */
  function start() {
    var box = el("div", { class: "kume-step" })
    // Questions asked whatever the answers, plus one for each branch (chamber count).
    var branches = {}
    questions.forEach(function (q) {
      Object.keys(q.when || {}).forEach(function (ref) { branches[ref] = true })
    })
    var count = questions.filter(function (q) { return !Object.keys(q.when || {}).length }).length +
      Object.keys(branches).length
    box.appendChild(el("p", { text: fill(w.start_count, { count: count }) }))
    var go = button(w.start, { "data-action": "start" }, true)
    go.addEventListener("click", function () { askQuestion(questions[0]) })
    box.appendChild(go)
    root.innerHTML = ""
    root.appendChild(box)
    root.appendChild(live)
  }

  start()

  /* For tests and other pages: the check's logic over many cases in one call. */
  window.KumeCheck = {
    evaluate: function (assoc, readinessAnswers) {
      return core.evaluate(assoc, readinessAnswers, rules)
    },
    evaluateMany: function (cases) {
      return cases.map(function (c) {
        return JSON.parse(JSON.stringify(core.evaluate(c.assoc, c.readiness, rules)))
      })
    },
    parseCountMany: function (texts) {
      return texts.map(function (t) { return core.parseCount(t, check.counts) })
    }
  }
})()

/*
 * Küme Asistanı: the grant calculator. Items of a business plan, grants already received,
 * and the result with each cap explained. Logic: KumeCore.estimate (the same as
 * eligibility.budget.estimate); figures from the page's data. Nothing leaves the page.
 */
;(function () {
  "use strict"
  var core = window.KumeCore
  var root = document.getElementById("kume-calc")
  var data = core.pageData()
  if (!root || !data) return
  var budget = data.budget
  var figures = budget.figures
  var w = data.words.calc, common = data.words.common, fill = core.fill
  var itemRate = core.percentText(core.parseDec(figures.item_grant_rate.value))
  var planRate = core.percentText(core.parseDec(figures.plan_grant_rate.value))
  var totalGrant = core.tlText(core.toKurus(core.parseDec(figures.total_grant.value)))
  var nextId = 1

  var el = core.el
  function tl(text) { return core.tlText(core.toKurus(core.parseDec(text))) }

  var form = el("form", { class: "kume-step", novalidate: "", id: "kume-calc-form" })
  var errorBox = el("div", { class: "kume-error-summary", role: "alert", hidden: "" })
  var fieldset = el("fieldset", { class: "kume-fieldset" }, [
    el("legend", {}, [el("h2", { text: w.items_legend })])
  ])
  fieldset.appendChild(el("p", { class: "kume-hint", id: "kume-items-hint", text: w.items_hint }))
  var list = el("ul", { class: "kume-items" })
  fieldset.appendChild(list)
  var add = el("button", { type: "button", class: "md-button", "data-action": "add",
                           text: w.add })
  fieldset.appendChild(add)
  var prevId = "kume-previous"
  var previous = el("div", { class: "kume-field" }, [
    el("label", { for: prevId, text: w.previous }),
    el("p", { class: "kume-hint", id: prevId + "-hint",
      text: fill(w.previous_hint, { total: totalGrant }) }),
    el("input", { type: "text", inputmode: "decimal", id: prevId, value: "0",
                  autocomplete: "off", class: "kume-input kume-input--money",
                  "aria-describedby": prevId + "-hint" })
  ])
  var live = el("div", { class: "kume-sr-only", "aria-live": "polite", role: "status" })
  var result = el("div", { class: "kume-calc-result", tabindex: "-1" })
  form.appendChild(errorBox)
  form.appendChild(fieldset)
  form.appendChild(previous)
  form.appendChild(el("div", { class: "kume-actions" }, [
    el("button", { type: "submit", class: "md-button md-button--primary", text: w.submit })
  ]))
  root.innerHTML = ""
  root.appendChild(form)
  root.appendChild(live)
  root.appendChild(result)

  function renumber() {
    Array.prototype.forEach.call(list.children, function (li, i) {
      var n = i + 1
      li.querySelector(".kume-name-label").textContent = fill(w.item_name, { n: n })
      li.querySelector(".kume-cost-label").textContent = fill(w.item_cost, { n: n })
      var remove = li.querySelector('[data-action="remove"]')
      remove.textContent = fill(w.remove, { n: n })
      remove.hidden = list.children.length === 1
    })
  }

  function addItem(focus) {
    var id = "kume-item-" + nextId++
    var li = el("li", { class: "kume-item", "data-item": id }, [
      el("div", { class: "kume-field" }, [
        el("label", { for: id + "-name", class: "kume-name-label" }),
        el("input", { type: "text", id: id + "-name", class: "kume-input kume-item-name",
                      autocomplete: "off" })
      ]),
      el("div", { class: "kume-field" }, [
        el("label", { for: id + "-cost", class: "kume-cost-label" }),
        el("input", { type: "text", inputmode: "decimal", id: id + "-cost",
                      class: "kume-input kume-input--money kume-item-cost", autocomplete: "off",
                      "aria-describedby": "kume-items-hint" })
      ]),
      el("button", { type: "button", class: "md-button kume-remove", "data-action": "remove" })
    ])
    li.querySelector('[data-action="remove"]').addEventListener("click", function () {
      var next = li.nextElementSibling || li.previousElementSibling
      list.removeChild(li)
      renumber()
      if (next) next.querySelector("input").focus()
      live.textContent = fill(w.removed, { count: list.children.length })
    })
    list.appendChild(li)
    renumber()
    if (focus) li.querySelector("input").focus()
  }
  add.addEventListener("click", function () {
    addItem(true)
    live.textContent = fill(w.added, { n: list.children.length })
  })
  addItem(false)

  function clearErrors() {
    errorBox.hidden = true
    errorBox.innerHTML = ""
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (input) {
      input.removeAttribute("aria-invalid")
    })
    Array.prototype.forEach.call(form.querySelectorAll(".kume-error"), function (p) {
      p.parentNode.removeChild(p)
    })
  }

  function showErrors(problems) {
    errorBox.appendChild(el("h2", { text: w.error_title }))
    var ul = el("ul")
    problems.forEach(function (p, i) {
      var input = document.getElementById(p.input)
      var errId = p.input + "-error"
      input.setAttribute("aria-invalid", "true")
      input.setAttribute("aria-describedby", errId + " " + (input.getAttribute("aria-describedby") || "")
        .replace(errId, "").trim())
      input.parentNode.insertBefore(el("p", { class: "kume-error", id: errId, text: p.text }), input)
      ul.appendChild(el("li", {}, [el("a", { href: "#" + p.input, text: p.text })]))
    })
    errorBox.appendChild(ul)
    errorBox.hidden = false
    result.innerHTML = ""
    var first = errorBox.querySelector("a")
    first.addEventListener("click", function (ev) {
      ev.preventDefault()
      document.getElementById(problems[0].input).focus()
    })
    errorBox.setAttribute("tabindex", "-1")
    errorBox.focus()
  }

  /* what is wrong with an amount: where is an item's number (1-based) or "previous" */
  function problem(where, kind) {
    if (where === "previous") return w.problems["previous_" + kind]
    return fill(w.problems[kind], { n: where })
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault()
    clearErrors()
    var problems = []
    var items = Array.prototype.map.call(list.children, function (li, i) {
      var nameInput = li.querySelector(".kume-item-name")
      var costInput = li.querySelector(".kume-item-cost")
      var cost = core.parseAmountTr(costInput.value)
      if (!nameInput.value.trim())
        problems.push({ input: nameInput.id, text: problem(i + 1, "name") })
      if (cost === null)
        problems.push({ input: costInput.id, text: problem(i + 1, "number") })
      return { name: nameInput.value, cost: cost === null ? "x" : cost, input: costInput.id }
    })
    var prevInput = document.getElementById(prevId)
    var prev = core.parseAmountTr(prevInput.value.trim() === "" ? "0" : prevInput.value)
    if (prev === null) problems.push({ input: prevId, text: problem("previous", "number") })
    if (problems.length) return showErrors(problems)
    var r = core.estimate(items, prev, budget)
    if (r.errors) {
      return showErrors(r.errors.map(function (e) {
        var input = e.where === "previous" ? prevId : items[e.where - 1].input
        return { input: input, text: problem(e.where, e.error) }
      }))
    }
    render(r)
  })

  function row(cells, labels) {
    return el("tr", {}, cells.map(function (c, i) {
      return el("td", { "data-label": labels[i], text: c })
    }))
  }

  function render(r) {
    result.innerHTML = ""
    result.setAttribute("data-max-grant", r.max_grant)
    result.setAttribute("data-binding", r.binding.join(" "))
    var headline = w.max_grant + ": " + tl(r.max_grant)
    result.appendChild(el("h2", { text: w.result_title, id: "kume-calc-sonuc" }))
    result.appendChild(el("p", { class: "kume-answer" }, [el("strong", { text: headline })]))
    result.appendChild(el("p", { text: fill(w.own_share_line, { label: w.own_share,
      own: tl(r.own_share), total: tl(r.total_cost) }) }))
    var labels = [w.columns.item, w.columns.cost, w.columns.item_cap + " (" + itemRate + ")",
                  w.max_grant]
    var table = el("table", { class: "kume-reflow" }, [
      el("caption", { text: w.items_caption }),
      el("thead", {}, [el("tr", {}, labels.map(function (h) {
        return el("th", { scope: "col", text: h })
      }))])
    ])
    var tbody = el("tbody")
    r.items.forEach(function (item) {
      var tr = row([item.name, tl(item.cost), tl(item.item_cap), tl(item.max_grant)], labels)
      tr.className = "kume-item-row"
      tbody.appendChild(tr)
    })
    table.appendChild(tbody)
    result.appendChild(table)
    result.appendChild(el("h3", { text: w.caps_title }))
    var binding = {}
    r.binding.forEach(function (b) { binding[b] = true })
    var explain = {
      items: { rate: itemRate, basis: figures.item_grant_rate.basis },
      plan: { total: tl(r.total_cost), rate: planRate, basis: figures.plan_grant_rate.basis },
      remaining: { total: totalGrant, previous: tl(r.previous_grants),
                   basis: figures.total_grant.basis }
    }
    var ul = el("ul", { class: "kume-caps" })
    ;["items", "plan", "remaining"].forEach(function (cap) {
      var li = el("li", { "data-cap": cap, "data-binding": String(!!binding[cap]) }, [
        el("strong", { text: w.caps[cap].name + ": " + tl(r.limits[cap]) }),
        document.createTextNode(" — " + fill(w.caps[cap].explain, explain[cap]))
      ])
      if (binding[cap]) li.appendChild(el("strong", { class: "kume-binding", text: " " + w.binding }))
      ul.appendChild(li)
    })
    result.appendChild(ul)
    if (r.limits.remaining === "0")
      result.appendChild(el("p", { class: "kume-warning", text: w.exhausted }))
    else if (binding.remaining)
      result.appendChild(el("p", { text: w.split_remaining }))
    else if (binding.plan && !binding.items)
      result.appendChild(el("p", { text: w.split_plan }))
    var seen = {}
    ;["item_grant_rate", "plan_grant_rate", "total_grant"].forEach(function (name) {
      var c = figures[name].citation
      if (!c || seen[c.quote]) return
      seen[c.quote] = true
      result.appendChild(el("details", { class: "kume-kaynak" }, [
        el("summary", { text: common.source_summary }), el("blockquote", { text: c.quote }),
        el("p", { text: fill(common.source_where, { official: data.words.shared.official,
                                                    source: c.source, year: c.year }) })
      ]))
    })
    result.appendChild(el("p", { class: "kume-basis", text: fill(w.built_on,
      { date: data.date.split("-").reverse().join(".") }) }))
    live.textContent = headline
    result.focus()
  }

  window.KumeCalc = {
    estimate: function (items, prev) { return core.estimate(items, prev, budget) },
    estimateMany: function (cases) {
      return cases.map(function (c) { return core.estimate(c.items, c.previous, budget) })
    },
    parseAmountMany: function (texts) { return texts.map(core.parseAmountTr) }
  }
})()

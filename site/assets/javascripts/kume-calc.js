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
  var itemRate = core.percentText(core.parseDec(figures.item_grant_rate.value))
  var planRate = core.percentText(core.parseDec(figures.plan_grant_rate.value))
  var totalGrant = core.tlText(core.toKurus(core.parseDec(figures.total_grant.value)))
  var nextId = 1

  var el = core.el
  function tl(text) { return core.tlText(core.toKurus(core.parseDec(text))) }

  var form = el("form", { class: "kume-step", novalidate: "", id: "kume-calc-form" })
  var errorBox = el("div", { class: "kume-error-summary", role: "alert", hidden: "" })
  var fieldset = el("fieldset", { class: "kume-fieldset" }, [
    el("legend", {}, [el("h2", { text: "İş planının kalemleri" })])
  ])
  fieldset.appendChild(el("p", { class: "kume-hint", id: "kume-items-hint",
    text: "Her destek kalemini ve tutarını yazın (TL; örneğin 1.200.000 ya da 1200000,50)." }))
  var list = el("ul", { class: "kume-items" })
  fieldset.appendChild(list)
  var add = el("button", { type: "button", class: "md-button", "data-action": "add",
                           text: "Kalem ekle" })
  fieldset.appendChild(add)
  var prevId = "kume-previous"
  var previous = el("div", { class: "kume-field" }, [
    el("label", { for: prevId, text: "Birlikteliğin önceki iş planlarında aldığı hibe (TL)" }),
    el("p", { class: "kume-hint", id: prevId + "-hint",
      text: "Programdan daha önce hibe alınmadıysa 0 bırakın. Programdan kalan tutar " +
            totalGrant + " üzerinden hesaplanır." }),
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
    el("button", { type: "submit", class: "md-button md-button--primary", text: "Hesapla" })
  ]))
  root.innerHTML = ""
  root.appendChild(form)
  root.appendChild(live)
  root.appendChild(result)

  function renumber() {
    Array.prototype.forEach.call(list.children, function (li, i) {
      var n = i + 1
      li.querySelector(".kume-name-label").textContent = n + ". kalemin adı"
      li.querySelector(".kume-cost-label").textContent = n + ". kalemin tutarı (TL)"
      var remove = li.querySelector('[data-action="remove"]')
      remove.textContent = n + ". kalemi kaldır"
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
      live.textContent = "Kalem kaldırıldı; " + list.children.length + " kalem var."
    })
    list.appendChild(li)
    renumber()
    if (focus) li.querySelector("input").focus()
  }
  add.addEventListener("click", function () {
    addItem(true)
    live.textContent = list.children.length + ". kalem eklendi."
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
    errorBox.appendChild(el("h2", { text: "Girdiğiniz bilgileri kontrol edin" }))
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

  var MESSAGES = {
    number: "tutarını rakamla yazın, örneğin 150.000",
    negative: "tutarı eksi olamaz",
    zero: "tutarı sıfırdan büyük olmalı",
    large: "tutarı gerçekçi olmayan kadar büyük; kontrol edin",
    name: "adını yazın"
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
        problems.push({ input: nameInput.id, text: (i + 1) + ". kalemin " + MESSAGES.name })
      if (cost === null)
        problems.push({ input: costInput.id, text: (i + 1) + ". kalemin " + MESSAGES.number })
      return { name: nameInput.value, cost: cost === null ? "x" : cost, input: costInput.id }
    })
    var prevInput = document.getElementById(prevId)
    var prev = core.parseAmountTr(prevInput.value.trim() === "" ? "0" : prevInput.value)
    if (prev === null)
      problems.push({ input: prevId, text: "Önceki hibeleri rakamla yazın, örneğin 0 ya da 2.000.000" })
    if (problems.length) return showErrors(problems)
    var r = core.estimate(items, prev, budget)
    if (r.errors) {
      return showErrors(r.errors.map(function (e) {
        if (e.where === "previous")
          return { input: prevId, text: "Önceki hibeler: " + MESSAGES[e.error] }
        var item = items[e.where - 1]
        return { input: item.input, text: e.where + ". kalemin " + MESSAGES[e.error] }
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
    var headline = "En yüksek hibe: " + tl(r.max_grant)
    result.appendChild(el("h2", { text: "Sonuç", id: "kume-calc-sonuc" }))
    result.appendChild(el("p", { class: "kume-answer" }, [el("strong", { text: headline })]))
    result.appendChild(el("p", { text: "Birlikteliğin kendi katkısı: " + tl(r.own_share) +
      " (toplam maliyet " + tl(r.total_cost) + ")." }))
    var labels = ["Kalem", "Tutar", "Kalem sınırı (" + itemRate + ")", "En yüksek hibe"]
    var table = el("table", { class: "kume-reflow" }, [
      el("caption", { text: "Kalemler" }),
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
    result.appendChild(el("h3", { text: "Üç sınır" }))
    var binding = {}
    r.binding.forEach(function (b) { binding[b] = true })
    var caps = [
      ["items", "Kalem sınırlarının toplamı", "her kalemin tutarının en çok " + itemRate +
        "'i, kalem kalem toplanır (" + figures.item_grant_rate.basis + ")."],
      ["plan", "İş planı sınırı", "iş planı toplam bütçesi " + tl(r.total_cost) + " × " +
        planRate + " (" + figures.plan_grant_rate.basis + ")."],
      ["remaining", "Programdan kalan hibe", totalGrant + " − daha önce alınan " +
        tl(r.previous_grants) + " (" + figures.total_grant.basis + "; birliktelik başına " +
        "tutar olarak kabul edilmiştir)."]
    ]
    var ul = el("ul", { class: "kume-caps" })
    caps.forEach(function (c) {
      var li = el("li", { "data-cap": c[0], "data-binding": String(!!binding[c[0]]) }, [
        el("strong", { text: c[1] + ": " + tl(r.limits[c[0]]) }),
        document.createTextNode(" — " + c[2])
      ])
      if (binding[c[0]]) li.appendChild(el("strong", { class: "kume-binding",
        text: " Hibeyi bu sınır belirliyor." }))
      ul.appendChild(li)
    })
    result.appendChild(ul)
    if (r.limits.remaining === "0")
      result.appendChild(el("p", { class: "kume-warning", text: "Önceki hibeler programın " +
        "hibe tutarını doldurmuş: bu iş planı için hibe kalmıyor." }))
    else if (binding.remaining)
      result.appendChild(el("p", { text: "Programdan kalan tutar bu iş planının sınırından " +
        "küçük olduğu için hibe kalemlere, kalem sınırlarıyla orantılı dağıtıldı." }))
    else if (binding.plan && !binding.items)
      result.appendChild(el("p", { text: "İş planı sınırı kalem sınırlarının toplamından " +
        "küçük olduğu için hibe kalemlere, kalem sınırlarıyla orantılı dağıtıldı." }))
    var seen = {}
    ;["item_grant_rate", "plan_grant_rate", "total_grant"].forEach(function (name) {
      var c = figures[name].citation
      if (!c || seen[c.quote]) return
      seen[c.quote] = true
      result.appendChild(el("details", { class: "kume-kaynak" }, [
        el("summary", { text: "Kaynak" }), el("blockquote", { text: c.quote }),
        el("p", { text: "Resmî metin: " + c.source + " (" + c.year + ")" })
      ]))
    })
    result.appendChild(el("p", { class: "kume-basis", text: "Hesap " +
      data.date.split("-").reverse().join(".") + " tarihinde derlenen verilerle yapıldı." }))
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

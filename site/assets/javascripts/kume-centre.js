/*
 * Küme Asistanı: find your Knowledge Centre. The province is read as the bot reads it
 * (KumeCore.findProvince, kume-province.js: eligibility.validators.find_province); its centre
 * is looked up in the routing table exported at build time from eligibility.routing.
 * centre_for, the bot's routing: nothing is computed here. Where the bot would ask "Bunu mu
 * demek istediniz?", the page shows that question with a button per candidate.
 */
;(function () {
  "use strict"
  var core = window.KumeCore
  var root = document.getElementById("kume-centre")
  var data = core.pageData()
  if (!root || !data) return
  var routing = data.routing
  var w = data.words.centre, fill = core.fill
  var centres = {}
  routing.centres.forEach(function (c) { centres[c.id] = c })

  var el = core.el

  var inputId = "kume-province"
  var form = el("form", { class: "kume-step", role: "search", novalidate: "",
                          "aria-label": w.search_label })
  form.appendChild(el("label", { for: inputId, class: "kume-label-large", text: w.label }))
  form.appendChild(el("p", { class: "kume-hint", id: inputId + "-hint", text: w.hint }))
  var input = el("input", { type: "text", id: inputId, class: "kume-input",
                            autocomplete: "off", "aria-describedby": inputId + "-hint" })
  form.appendChild(input)
  form.appendChild(el("div", { class: "kume-actions" }, [
    el("button", { type: "submit", class: "md-button md-button--primary", text: w.submit })
  ]))
  var result = el("div", { class: "kume-centre-result", "aria-live": "polite" })
  root.innerHTML = ""
  root.appendChild(form)
  root.appendChild(result)

  function show(box) {
    result.innerHTML = ""
    result.appendChild(box)
    box.querySelector("h2").focus()
  }

  function showProvince(p) {
    var c = centres[p.centre]
    var box = el("div", { class: "kume-result", "data-province": p.name, "data-centre": c.id })
    box.appendChild(el("h2", { tabindex: "-1", text: p.name + ": " + c.name }))
    box.appendChild(el("p", { text: p.local ? fill(w.local, { province: p.name })
      : fill(w.nearest, { province: p.name, centre: c.name, km: p.distance_km }) }))
    if (c.status) box.appendChild(el("p", { text: c.status }))
    if (c.known) {
      var ul = el("ul")
      c.lines.forEach(function (line) { ul.appendChild(el("li", { text: line[0] + ": " + line[1] })) })
      box.appendChild(ul)
    } else {
      box.appendChild(el("p", { text: c.text }))
    }
    show(box)
  }

  /* The bot's question ("Bunu mu demek istediniz: …?") with a button per candidate */
  function showSuggestions(found) {
    var box = el("div", { class: "kume-result", "data-suggest": "" })
    box.appendChild(el("h2", { tabindex: "-1", text: w.suggest_title }))
    box.appendChild(el("p", { class: "kume-problem", text: found.problem }))
    var ul = el("ul", { class: "kume-choices" })
    found.suggestions.forEach(function (p) {
      var b = el("button", { type: "button", class: "md-button", "data-plate": String(p.plate),
                             text: fill(w.choice, { name: p.name, plate: p.plate }) })
      b.addEventListener("click", function () {
        input.value = p.name
        showProvince(p)
      })
      ul.appendChild(el("li", {}, [b]))
    })
    box.appendChild(ul)
    show(box)
  }

  function showNone(found) {
    var box = el("div", { class: "kume-result", "data-none": "" })
    box.appendChild(el("h2", { tabindex: "-1", text: w.none_title }))
    box.appendChild(el("p", { class: "kume-problem", text: found.problem }))
    box.appendChild(el("p", { text: w.none_more }))
    show(box)
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault()
    var found = core.findProvince(input.value, routing)
    if (found.province) showProvince(found.province)
    else if (found.suggestions.length) showSuggestions(found)
    else showNone(found)
  })

  /* For tests: what the finder answers for each text, in one call. */
  function answer(text) {
    var found = core.findProvince(text, routing)
    if (found.province) return { name: found.province.name, centre: found.province.centre }
    return { problem: found.problem,
             suggestions: found.suggestions.map(function (p) { return p.name }) }
  }
  window.KumeCentre = {
    find: answer,
    findMany: function (texts) { return texts.map(answer) }
  }
})()

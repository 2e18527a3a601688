/*
 * Küme Asistanı: find your Knowledge Centre. The province is found as typed (Turkish letters
 * or not, "K.Maraş", plate codes); its centre is looked up in the routing table exported at
 * build time from eligibility.routing.centre_for, the bot's routing: nothing is computed here.
 */
;(function () {
  "use strict"
  var core = window.KumeCore
  var root = document.getElementById("kume-centre")
  var data = core.pageData()
  if (!root || !data) return
  var routing = data.routing
  var centres = {}
  routing.centres.forEach(function (c) { centres[c.id] = c })
  var provinces = routing.provinces.map(function (p) {
    return { p: p, keys: p.keys.map(core.compact) }
  })

  var el = core.el

  /* {province} for one match, {choices: [...]} for several, {} for none */
  function find(text) {
    var q = core.compact(text)
    if (!q) return {}
    if (/^\d{1,2}$/.test(q)) {
      var plate = Number(q)
      var byPlate = provinces.filter(function (e) { return e.p.plate === plate })
      return byPlate.length ? { province: byPlate[0].p } : {}
    }
    var exact = provinces.filter(function (e) { return e.keys.indexOf(q) >= 0 })
    if (exact.length === 1) return { province: exact[0].p }
    var prefix = provinces.filter(function (e) {
      return e.keys.some(function (k) { return k.indexOf(q) === 0 })
    })
    if (prefix.length === 1) return { province: prefix[0].p }
    if (prefix.length > 1) return { choices: prefix.map(function (e) { return e.p }) }
    var inside = provinces.filter(function (e) {
      return q.length >= 3 && e.keys.some(function (k) { return k.indexOf(q) >= 0 })
    })
    if (inside.length === 1) return { province: inside[0].p }
    if (inside.length > 1) return { choices: inside.map(function (e) { return e.p }) }
    return {}
  }

  var inputId = "kume-province"
  var form = el("form", { class: "kume-step", role: "search", novalidate: "",
                          "aria-label": "Merkez arama" })
  form.appendChild(el("label", { for: inputId, class: "kume-label-large", text: "İliniz" }))
  form.appendChild(el("p", { class: "kume-hint", id: inputId + "-hint",
    text: "İl adı ya da plaka kodu; Türkçe harf kullanmadan da yazabilirsiniz " +
          "(örneğin kahramanmaras, K.Maraş ya da 46)." }))
  var input = el("input", { type: "text", id: inputId, class: "kume-input",
                            autocomplete: "off", "aria-describedby": inputId + "-hint" })
  form.appendChild(input)
  form.appendChild(el("div", { class: "kume-actions" }, [
    el("button", { type: "submit", class: "md-button md-button--primary", text: "Merkezi göster" })
  ]))
  var result = el("div", { class: "kume-centre-result", "aria-live": "polite" })
  root.innerHTML = ""
  root.appendChild(form)
  root.appendChild(result)

  function showProvince(p) {
    var c = centres[p.centre]
    result.innerHTML = ""
    var box = el("div", { class: "kume-result", "data-province": p.name, "data-centre": c.id })
    box.appendChild(el("h2", { tabindex: "-1", text: p.name + ": " + c.name }))
    box.appendChild(el("p", { text: p.local
      ? p.name + ", merkezin kurulduğu ildir."
      : p.name + " için en yakın merkez " + c.name + " (il merkezleri arası kuş uçuşu " +
        "yaklaşık " + p.distance_km + " km)." }))
    if (c.status) box.appendChild(el("p", { text: c.status }))
    if (c.known) {
      var ul = el("ul")
      c.lines.forEach(function (line) { ul.appendChild(el("li", { text: line[0] + ": " + line[1] })) })
      box.appendChild(ul)
    } else {
      box.appendChild(el("p", { text: c.text }))
    }
    result.appendChild(box)
    box.querySelector("h2").focus()
  }

  function showChoices(choices) {
    result.innerHTML = ""
    var box = el("div", { class: "kume-result" })
    box.appendChild(el("h2", { tabindex: "-1", text: "Hangi il?" }))
    var ul = el("ul", { class: "kume-choices" })
    choices.slice(0, 12).forEach(function (p) {
      var b = el("button", { type: "button", class: "md-button", "data-plate": String(p.plate),
                             text: p.name + " (" + p.plate + ")" })
      b.addEventListener("click", function () {
        input.value = p.name
        showProvince(p)
      })
      ul.appendChild(el("li", {}, [b]))
    })
    box.appendChild(ul)
    result.appendChild(box)
    box.querySelector("h2").focus()
  }

  function showNone() {
    result.innerHTML = ""
    var box = el("div", { class: "kume-result" })
    box.appendChild(el("h2", { tabindex: "-1", text: "İl bulunamadı" }))
    box.appendChild(el("p", { text: "“" + input.value + "” bir il adına ya da plaka koduna " +
      "benzemiyor. İl adını yazın (örneğin Samsun) ya da aşağıdaki tablodan ilinizi bulun." }))
    result.appendChild(box)
    box.querySelector("h2").focus()
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault()
    var found = find(input.value)
    if (found.province) showProvince(found.province)
    else if (found.choices) showChoices(found.choices)
    else showNone()
  })

  window.KumeCentre = {
    find: function (text) {
      var found = find(text)
      return found.province ? { name: found.province.name, centre: found.province.centre }
        : { choices: (found.choices || []).map(function (p) { return p.name }) }
    }
  }
})()

/*
 * Küme Asistanı: printing. A printed page shows its sources: folded "Kaynak" citations open
 * before printing and close again afterwards. Buttons marked data-kume-print (the activity
 * category pages) print the page; they stay hidden without JavaScript.
 */
;(function () {
  "use strict"
  var opened = []
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open
    })
    opened.forEach(function (d) { d.open = true })
  })
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false })
    opened = []
  })
  Array.prototype.forEach.call(document.querySelectorAll("[data-kume-print]"), function (b) {
    b.hidden = false
    b.addEventListener("click", function () { window.print() })
  })
})()

// Shegong's own script: small behaviours that need no inline JavaScript (the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("submit", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});

// On a phone no table scrolls sideways: a table wider than its box (and not a list of lib/lists.py, which is
// cards already) becomes cards, each cell naming its column from the table's header (app.css .phone-cards).
// A table marked data-keep-table stays a table.
(function () {
  var PHONE = "(max-width: 575.98px)";

  function labelCells(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var column = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[column] || ""); }
        column += cell.colSpan || 1;
      });
    });
  }

  function fitTables(scope) {
    if (!window.matchMedia || !window.matchMedia(PHONE).matches) { return; }
    (scope || document).querySelectorAll("table").forEach(function (table) {
      if (table.classList.contains("list-table") || table.classList.contains("phone-cards")) { return; }
      if (table.hasAttribute("data-keep-table")) { return; }
      var box = table.closest(".table-responsive") || table.parentElement;
      var wide = table.scrollWidth > box.clientWidth + 1 ||
        table.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
      if (!wide) { return; }
      labelCells(table);
      table.classList.add("phone-cards");
    });
  }

  window.shegongFitTables = fitTables;
  document.addEventListener("DOMContentLoaded", function () { fitTables(document); });
  window.addEventListener("load", function () { fitTables(document); });
  document.addEventListener("htmx:afterSwap", function (event) { fitTables(event.target); });
})();

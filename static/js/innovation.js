// Declaration wizard: add team rows from the formset's empty form and show the running share total.
(function () {
  "use strict";
  function totalForms() { return document.querySelector("input[name$='-TOTAL_FORMS']"); }
  function updateTotal() {
    var out = document.querySelector("[data-share-total]");
    if (!out) { return; }
    var sum = 0;
    document.querySelectorAll("input[name$='-share']").forEach(function (input) {
      if (!input.name.includes("__prefix__")) { sum += parseInt(input.value, 10) || 0; }
    });
    out.textContent = "∑ " + sum + "%";
    out.classList.toggle("error", sum !== 100);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-add-member]");
    var template = document.getElementById("member-template");
    var rows = document.getElementById("team-rows");
    if (button && template && rows) {
      button.addEventListener("click", function () {
        var total = totalForms();
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        rows.insertAdjacentHTML("beforeend", html);
        total.value = String(index + 1);
      });
    }
    document.addEventListener("input", function (event) {
      if (event.target.name && event.target.name.endsWith("-share")) { updateTotal(); }
    });
    updateTotal();
  });
})();

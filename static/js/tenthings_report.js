// Report form of the ten practical things (no inline script: CSP).
// Shows the chosen indicator's verified total, target and remainder, what the total becomes with
// this report, the milestone box only for milestones, and previews of the selected photos.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-report-form]");
  if (!form) { return; }
  var select = form.querySelector("select[name=indicator]");
  var amount = form.querySelector("input[name=amount]");
  var amountRow = form.querySelector("[data-field=amount]");
  var milestoneRow = form.querySelector("[data-field=milestone_done]");
  var contexts = form.querySelectorAll(".tt-ctx");

  function format(value) {
    var rounded = Math.round(value * 100) / 100;
    return String(rounded);
  }

  function update() {
    var chosen = select ? select.value : (contexts[0] && contexts[0].dataset.indicator);
    var current = null;
    contexts.forEach(function (ctx) {
      var on = ctx.dataset.indicator === chosen;
      ctx.hidden = !on;
      if (on) { current = ctx; }
    });
    if (!current) { return; }
    var milestone = current.dataset.milestone === "1";
    if (amountRow) { amountRow.hidden = milestone; }
    if (milestoneRow) { milestoneRow.hidden = !milestone; }
    var after = current.querySelector("[data-after]");
    if (after) {
      var total = parseFloat(current.dataset.total) || 0;
      var added = amount ? parseFloat(amount.value) : NaN;
      after.textContent = format(total + (isNaN(added) ? 0 : added));
    }
  }

  if (select) { select.addEventListener("change", update); }
  if (amount) { amount.addEventListener("input", update); }
  update();

  var photos = form.querySelector("input[data-photo-preview]");
  if (photos) {
    var box = document.getElementById(photos.dataset.photoPreview);
    var urls = [];
    photos.addEventListener("change", function () {
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
      urls = [];
      box.textContent = "";
      Array.prototype.forEach.call(photos.files || [], function (file) {
        if (!/^image\//.test(file.type)) { return; }
        var url = URL.createObjectURL(file);
        urls.push(url);
        var img = document.createElement("img");
        img.src = url;
        img.alt = file.name;
        box.appendChild(img);
      });
    });
  }
});

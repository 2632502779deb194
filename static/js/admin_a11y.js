// Accessible names for the admin's stock widgets, which Django and its vendored select2 render
// without labels: tabular-inline cells (named by their column), the split date/time inputs,
// select2's search box and the body editor. Also keeps select2's "clear" control inside an <li>.
(function () {
  "use strict";

  function text(node) { return (node && node.textContent || "").replace(/[:：*]\s*$/, "").replace(/\s+/g, " ").trim(); }

  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) { return true; }
    if (el.closest("label")) { return true; }
    return !!(el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'));
  }

  function rowLabel(el) {
    var row = el.closest(".form-row, .fieldBox");
    var label = row && row.querySelector("label");
    return label ? text(label) : "";
  }

  function columnName(el) {
    var cell = el.closest("td");
    var table = cell && cell.closest("table");
    if (!table) { return ""; }
    var index = Array.prototype.indexOf.call(cell.parentNode.children, cell);
    var heads = table.querySelectorAll("thead tr:first-child th");
    var offset = 0, name = "";
    Array.prototype.forEach.call(heads, function (th) {
      var span = th.colSpan || 1;
      if (index >= offset && index < offset + span) { name = text(th); }
      offset += span;
    });
    return name;
  }

  function dateTimePart(el) {
    var previous = el.previousSibling;
    while (previous && previous.nodeType === 3 && !previous.nodeValue.trim()) { previous = previous.previousSibling; }
    return previous && previous.nodeType === 3 ? text(previous) : "";
  }

  function nameFor(el) {
    if (el.classList.contains("select2-search__field")) {
      var container = el.closest(".select2");
      var select = container && container.previousElementSibling;
      return select ? rowLabel(select) : "";
    }
    if (el.classList.contains("ProseMirror")) { return rowLabel(el) || el.closest(".form-row") && "正文"; }
    var parts = [columnName(el) || rowLabel(el), el.closest(".datetime") ? dateTimePart(el) : ""];
    var name = parts.filter(Boolean).join(" ");
    return name || el.getAttribute("title") || el.getAttribute("placeholder") || "";
  }

  function label(root) {
    var fields = root.querySelectorAll(
      "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=image]), select, textarea, .ProseMirror[contenteditable]"
    );
    Array.prototype.forEach.call(fields, function (el) {
      if (hasName(el)) { return; }
      var name = nameFor(el);
      if (name) { el.setAttribute("aria-label", name); }
    });
    Array.prototype.forEach.call(root.querySelectorAll("ul.select2-selection__rendered > :not(li)"), function (stray) {
      var item = document.createElement("li");
      stray.parentNode.insertBefore(item, stray);
      item.appendChild(stray);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var content = document.getElementById("content") || document.body;
    label(content);
    var pending = false;
    new MutationObserver(function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; label(content); });
    }).observe(content, { childList: true, subtree: true });
  });
})();

// News list: changing a filter submits the form (the search button still works without JS).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".news-filters select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});

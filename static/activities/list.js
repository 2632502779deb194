/* "离我最近" on the activities list: the browser's location goes into the filter form as lat/lng
   and the server sorts by distance. Without geolocation the button stays hidden. */
(function () {
  "use strict";
  var button = document.getElementById("near-btn");
  var form = document.querySelector("[data-testid=filters]");
  var status = document.getElementById("near-status");
  if (!button || !form || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.tLocating;
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("f-lat").value = position.coords.latitude.toFixed(6);
      document.getElementById("f-lng").value = position.coords.longitude.toFixed(6);
      form.submit();
    }, function () {
      status.textContent = button.dataset.tFailed;
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
  });
})();

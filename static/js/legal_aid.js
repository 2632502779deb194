// Legal aid pages: show only the inputs of the chosen answer channel; sort stations by distance.
(function () {
  "use strict";
  function channelSwitch() {
    var radios = document.querySelectorAll('input[name="channel"]');
    if (!radios.length) return;
    function update() {
      var chosen = document.querySelector('input[name="channel"]:checked');
      var value = chosen ? chosen.value : "";
      document.querySelectorAll("[data-channel]").forEach(function (block) {
        block.hidden = block.getAttribute("data-channel") !== value;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }
  function distance(lat1, lng1, lat2, lng2) {
    var r = 6371000, rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLng = (lng2 - lng1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 2 * r * Math.asin(Math.sqrt(a));
  }
  function nearest() {
    var button = document.querySelector("[data-nearest]");
    var list = document.querySelector('[data-testid="station-list"]');
    if (!button || !list || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var items = Array.prototype.slice.call(list.querySelectorAll("[data-lat]"));
        items.forEach(function (item) {
          var lat = parseFloat(item.dataset.lat), lng = parseFloat(item.dataset.lng);
          var d = isNaN(lat) ? Infinity : distance(pos.coords.latitude, pos.coords.longitude, lat, lng);
          item.dataset.distance = d;
          var label = item.querySelector("[data-distance]");
          if (label && isFinite(d)) {
            label.textContent = d < 1000 ? Math.round(d) + " m" : (d / 1000).toFixed(1) + " km";
            label.hidden = false;
          }
        });
        items.sort(function (a, b) { return a.dataset.distance - b.dataset.distance; });
        items.forEach(function (item) { list.appendChild(item); });
      });
    });
  }
  // The case form asks only for what the chosen stage needs (the server checks it again).
  var STAGE_FIELDS = {
    settled: ["agreement_file", "amount_agreed", "payment_due"],
    arbitration: ["arbitration_commission"],
    litigation: ["court", "court_case_number"],
    closed: ["outcome", "amount_recovered"]
  };
  var ALL_STAGE_FIELDS = ["agreement_file", "amount_agreed", "payment_due", "arbitration_commission", "court",
    "court_case_number", "outcome", "amount_recovered"];
  function stageFields() {
    var form = document.querySelector("[data-stage-form]");
    if (!form) return;
    var select = form.querySelector('select[name="to_stage"]');
    function update() {
      var wanted = STAGE_FIELDS[select.value] || [];
      ALL_STAGE_FIELDS.forEach(function (name) {
        var input = form.querySelector('[name="' + name + '"]');
        var field = input && input.closest(".field");
        if (field) field.hidden = wanted.indexOf(name) === -1;
      });
    }
    select.addEventListener("change", update);
    update();
  }
  // Stations on a map; without Leaflet the list below is the whole page, without tiles the markers stay.
  function stationMap() {
    var el = document.getElementById("legal-map");
    var node = document.getElementById("legal-map-config");
    if (!el || !node || !window.L) return;
    var config = JSON.parse(node.textContent);
    if (!config.points.length) return;
    el.hidden = false;
    var map = L.map(el).setView(config.center, 10);
    map.attributionControl.setPrefix(false);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { maxZoom: 18, attribution: config.attribution }).addTo(map);
    }
    var bounds = [];
    config.points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], {
        radius: p.flagship ? 10 : 7, color: "#9e0f15", weight: 2, fillColor: p.flagship ? "#c8161d" : "#f5c400",
        fillOpacity: 0.9
      }).addTo(map);
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      marker.bindPopup(link);
      bounds.push([p.lat, p.lng]);
    });
    map.fitBounds(bounds, { padding: [20, 20] });
  }
  // The consultation form's time slots follow the chosen station (the server checks the pair again).
  function shiftsFollowStation() {
    var station = document.querySelector('select[name="station"]');
    var shift = document.querySelector('select[name="shift"]');
    if (!station || !shift) return;
    function update() {
      var chosen = station.value;
      Array.prototype.forEach.call(shift.options, function (option) {
        var own = option.getAttribute("data-station");
        var show = !own || !chosen || own === chosen;
        option.hidden = !show;
        option.disabled = !show;
        if (!show && option.selected) shift.value = "";
      });
    }
    station.addEventListener("change", update);
    update();
  }
  // After a failed submit, the list of problems is where the eye and the screen reader land.
  function errorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    channelSwitch(); nearest(); stageFields(); stationMap(); shiftsFollowStation(); errorSummary();
  });
})();

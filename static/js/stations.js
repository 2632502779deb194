// Stations map and "nearest to me". Works without tiles (markers on a blank map) and without
// Leaflet at all (the server-rendered list and distances stay usable).
(function () {
  "use strict";

  function readConfig() {
    var node = document.getElementById("station-map-config");
    return node ? JSON.parse(node.textContent) : null;
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // UI words come from the page (data-t-* on #station-map), translated by Django.
  function t(key, fallback) {
    var el = document.getElementById("station-map");
    return (el && el.dataset["t" + key]) || fallback;
  }

  function formatDistance(m) {
    return m < 1000 ? Math.round(m) + " " + t("Metres", "米") : (m / 1000).toFixed(1) + " " + t("Km", "公里");
  }

  function initMap(config) {
    var el = document.getElementById("station-map");
    if (!el || !window.L) { return; }
    var map = L.map(el, { zoomControl: true, attributionControl: true }).setView(config.center, 12);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { maxZoom: 18, attribution: config.attribution }).addTo(map);
    }
    var query = window.location.search || "";
    fetch(config.pointsUrl + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { stations: [] }; })
      .then(function (data) {
        var bounds = [];
        (data.stations || []).forEach(function (s, i) {
          var colour = s.open_now ? "#c8161d" : "#8a8f98";
          var marker = L.circleMarker([s.lat, s.lng], {
            radius: 9, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95
          }).addTo(map);
          var html = '<div class="map-popup"><a href="' + escapeHtml(s.url) + '">' + escapeHtml(s.name) + "</a><br>" +
            escapeHtml(s.kind) + " · " + escapeHtml(s.open_now ? t("Open", "正在开放") : s.status) +
            (s.distance_m != null ? "<br>" + escapeHtml(t("Distance", "距您")) + " " + escapeHtml(formatDistance(s.distance_m)) : "") + "</div>";
          marker.bindPopup(html);
          if (!data.origin || i < 5) { bounds.push([s.lat, s.lng]); }
        });
        if (data.origin) {
          L.marker(data.origin, { icon: L.divIcon({ className: "map-me", iconSize: [16, 16] }), title: t("Me", "我的位置") }).addTo(map);
          bounds.push(data.origin);
        }
        if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); }
        else if (bounds.length === 1) { map.setView(bounds[0], 14); }
      })
      .catch(function () { /* the list below still works */ });
  }

  function initNearest() {
    var button = document.getElementById("nearest-btn");
    var form = document.getElementById("station-filters");
    var status = document.getElementById("nearest-status");
    if (!button || !form) { return; }
    if (!("geolocation" in navigator)) { return; }
    button.hidden = false;
    function locate() {
      status.textContent = t("Locating", "正在获取您的位置…");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
        form.submit();
      }, function () {
        button.disabled = false;
        status.textContent = t("Failed", "无法获取您的位置，请在浏览器设置中允许定位，或按乡镇筛选。");
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    }
    button.addEventListener("click", locate);
    if (window.location.hash === "#nearest") { locate(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var config = readConfig();
    if (config) { initMap(config); }
    initNearest();
  });
})();

// Stations map and "nearest to me". Works without tiles (markers on a blank map, with a note
// only once tiles have actually failed) and without Leaflet at all (the server-rendered list
// and distances stay usable).
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

  // open (now) / resting (open station outside its hours) / closed (suspended, closed, planned)
  function stateOf(s, config) {
    if (s.open_now) { return "open"; }
    return s.status === config.openStatus ? "resting" : "closed";
  }

  // "地图暂不可用" only after tiles have really failed, and gone again as soon as one loads.
  function watchTiles(layer) {
    var note = document.getElementById("map-unavailable");
    if (!note) { return; }
    var loaded = 0, failed = 0;
    layer.on("tileload", function () { loaded += 1; note.hidden = true; });
    layer.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 2) { note.hidden = false; }
    });
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    return L.divIcon({
      html: "<span>" + count + "</span>",
      className: "st-cluster",
      iconSize: [44, 44]
    });
  }

  function initMap(config) {
    var el = document.getElementById("station-map");
    if (!el || !window.L) { return; }
    var map = L.map(el, { zoomControl: true, attributionControl: true }).setView(config.center, 12);
    map.attributionControl.setPrefix(false);
    if (config.tileUrl) {
      var base = L.tileLayer(config.tileUrl, {
        maxZoom: 18, subdomains: config.subdomains || "abc", attribution: config.attribution
      }).addTo(map);
      watchTiles(base);
      if (config.labelsUrl) {
        L.tileLayer(config.labelsUrl, { maxZoom: 18, subdomains: config.subdomains || "abc" }).addTo(map);
      }
    }
    var group = L.markerClusterGroup ? L.markerClusterGroup({
      maxClusterRadius: 40, showCoverageOnHover: false, iconCreateFunction: clusterIcon
    }) : L.layerGroup();
    map.addLayer(group);
    var query = window.location.search || "";
    fetch(config.pointsUrl + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { stations: [] }; })
      .then(function (data) {
        var bounds = [];
        (data.stations || []).forEach(function (s, i) {
          var state = stateOf(s, config);
          var marker = L.marker([s.lat, s.lng], {
            icon: L.divIcon({ className: "st-pin st-pin--" + state, iconSize: [22, 22] }),
            title: s.name,
            alt: s.name
          });
          var stateText = state === "open" ? t("Open", "正在开放") : (state === "resting" ? t("Resting", "现在休息") : s.status);
          var html = '<div class="map-popup"><a href="' + escapeHtml(s.url || (config.stationBase + s.id + "/")) + '">' + escapeHtml(s.name) + "</a><br>" +
            escapeHtml(s.kind) + " · " + escapeHtml(stateText) +
            (s.distance_m != null ? "<br>" + escapeHtml(t("Distance", "距您")) + " " + escapeHtml(formatDistance(s.distance_m)) : "") + "</div>";
          marker.bindPopup(html);
          group.addLayer(marker);
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

  function initNearest(config) {
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
    // After "离我最近" the answer comes first: scroll to the nearest station.
    if (config && config.origin) {
      var first = document.querySelector("[data-testid=station-item]");
      if (first) { first.scrollIntoView({ block: "start" }); }
    }
  }

  function initFilters() {
    var sheet = document.getElementById("filter-sheet");
    // On a desk the filters have room to stay open; on a phone they fold into the 筛选 sheet.
    if (sheet && window.matchMedia("(min-width: 900px)").matches) { sheet.open = true; }
    document.querySelectorAll("[data-autosubmit-chip]").forEach(function (box) {
      box.addEventListener("change", function () { box.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var config = readConfig();
    if (config) { initMap(config); }
    initNearest(config);
    initFilters();
  });
})();

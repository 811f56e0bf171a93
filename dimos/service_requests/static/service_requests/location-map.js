// Progressive enhancement of the request form: mark the place on a map.
// Without JavaScript (or if the tiles do not load) the address field alone is enough.
(function () {
  "use strict";
  var box = document.querySelector("[data-location-map]");
  if (!box || typeof L === "undefined") { return; }
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!lat || !lon) { return; }
  box.hidden = false;
  var centre = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
  var map = L.map(box.querySelector(".dimos-map"), { keyboard: true }).setView(
    lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : centre,
    parseInt(box.dataset.zoom, 10)
  );
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    box.querySelector("[data-map-status]").textContent = box.dataset.chosen;
  }
  if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
  map.on("click", function (event) { place(event.latlng); });
  box.querySelector("[data-map-clear]").addEventListener("click", function () {
    if (marker) { map.removeLayer(marker); marker = null; }
    lat.value = ""; lon.value = "";
    box.querySelector("[data-map-status]").textContent = "";
  });
})();

/* Organiser check-in: scan a worker's personal QR with the phone camera (jsQR, served from
   this site) and submit it as if typed. Without a camera, or without permission, the phone
   number / code field still works. */
(function () {
  "use strict";
  var button = document.getElementById("scan-btn");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var status = document.getElementById("scan-status");
  var form = document.getElementById("checkin-form");
  if (!button || !video || !canvas || !form) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof window.jsQR !== "function") return;
  button.hidden = false;
  var stream = null;
  var context = canvas.getContext("2d", { willReadFrequently: true });

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    button.textContent = button.dataset.tStart;
  }

  function tick() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data) {
        stop();
        form.elements.code.value = found.data;
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(tick);
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      video.play();
      button.textContent = button.dataset.tStop;
      status.textContent = "";
      window.requestAnimationFrame(tick);
    }).catch(function () {
      status.textContent = button.dataset.tDenied;
    });
  });
})();

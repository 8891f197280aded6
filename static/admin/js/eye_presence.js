/* Who else has this object open: the notice the page was served with, kept current.
   Every so often (30 seconds) the page tells the server it is still open and shows who else
   is; on leaving it says so, so the others' notices clear. Without this script the notice
   shown at page load stays as it was. GET, not POST: a heartbeat changes no content, and an
   admin POST would count as an edit for the page cache. */
"use strict";

(function () {
  function start(notice) {
    const url = notice.dataset.presenceUrl;
    const interval = Number(notice.dataset.presenceInterval) * 1000;
    const text = notice.querySelector(".edit-presence__text");

    function beat() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (!answer) return;
          text.textContent = answer.notice;
          notice.hidden = !answer.notice;
        })
        .catch(function () {});
    }

    window.setInterval(beat, interval);
    window.addEventListener("pagehide", function () {
      fetch(url + "?leave=1", { credentials: "same-origin", keepalive: true }).catch(function () {});
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-presence-url]").forEach(start);
  });
})();
